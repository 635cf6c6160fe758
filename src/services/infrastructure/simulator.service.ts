import { forbidden, invalid, notFound } from '../../domain/errors.js';
import type { SimulatorMock } from '../../domain/types.js';
import type { Store } from '../../store/db.js';
import { mockStore } from '../../store/mock.store.js';
import { clusterRows, podRows, zoneRows } from '../../store/datacenter.store.js';
import { hostRows } from '../../store/host.store.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { parseMockValue, type AgentCommand } from '../../simulator/agent.js';

export interface MockRequest {
  name: string;
  value: string;
  zoneId?: string;
  podId?: string;
  clusterId?: string;
  hostId?: string;
  count?: number;
  jsonResponse?: string;
}

const KEYS = new Set(['result', 'wait', 'timeout', 'enabled']);

/** configureSimulator and friends: mocks consulted by the simulated agent before it answers. */
export class SimulatorService {
  constructor(private store: Store) {}

  /** Re-configuring the same command and scope updates the existing mock, as CloudStack does. */
  async configure(caller: Caller, r: MockRequest): Promise<SimulatorMock> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can configure the simulator');
    const opts = parseMockValue(r.value);
    if (opts.size === 0 || [...opts.keys()].some((k) => !KEYS.has(k)))
      throw invalid(`Invalid value ${r.value}: expected key:value pairs of result, wait, timeout, enabled`, 'value');
    const result = opts.get('result');
    if (result !== undefined && !['fail', 'fault', 'success'].includes(result))
      throw invalid(`Invalid result ${result}: expected fail, fault or success`, 'value');
    const wait = opts.get('wait');
    if (wait !== undefined && !/^\d+$/.test(wait))
      throw invalid(`Invalid wait ${wait}: expected milliseconds`, 'value');
    if (r.count !== undefined && r.count < 0) throw invalid('count must not be negative', 'count');
    if (r.jsonResponse !== undefined) {
      try {
        JSON.parse(r.jsonResponse);
      } catch {
        throw invalid('jsonresponse is not valid JSON', 'jsonresponse');
      }
    }
    return this.store.tx(async (trx) => {
      const scope = {
        zoneId: r.zoneId ?? null,
        podId: r.podId ?? null,
        clusterId: r.clusterId ?? null,
        hostId: r.hostId ?? null,
      };
      for (const [rows, table, id, param] of [
        [zoneRows, 'zones', scope.zoneId, 'zoneid'],
        [podRows, 'pods', scope.podId, 'podid'],
        [clusterRows, 'clusters', scope.clusterId, 'clusterid'],
        [hostRows, 'hosts', scope.hostId, 'hostid'],
      ] as const)
        if (id && !(await rows.get(trx, id))) throw notFound(table, id, param);
      const fields = {
        name: r.name as AgentCommand,
        value: r.value,
        ...scope,
        count: r.count ?? null,
        jsonResponse: r.jsonResponse ?? null,
        removed: null,
      };
      const existing = await mockStore.sameScope(trx, fields);
      if (existing) {
        await mockStore.update(trx, existing.id, {
          value: fields.value,
          count: fields.count,
          jsonResponse: fields.jsonResponse,
        });
        return { ...existing, ...fields, id: existing.id };
      }
      return { ...fields, id: await mockStore.insert(trx, fields) };
    });
  }

  async query(caller: Caller, id: number): Promise<SimulatorMock> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can query the simulator');
    const m = await mockStore.get(this.store.db, id);
    if (!m) throw invalid(`Unable to find mock with id ${id}`, 'id');
    return m;
  }

  async cleanup(caller: Caller, id: number, now: number): Promise<void> {
    const m = await this.query(caller, id);
    await this.store.tx((trx) => mockStore.update(trx, m.id, { removed: now }));
  }
}
