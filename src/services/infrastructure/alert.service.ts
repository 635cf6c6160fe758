import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Alert } from '../../domain/organisation.js';
import { alertStore } from '../../store/alert.store.js';
import { capacityStore } from '../../store/capacity.store.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore } from '../../store/host.store.js';
import type { ConfigService } from './config.service.js';
import type { Caller } from '../../domain/caller.js';
import type { JobEngine } from '../../jobs/engine.js';
import { checkSelection, type EventSelection } from '../operations/event.service.js';

/** AlertService.AlertType: the built-in kinds by number (the first seven are the capacity types). */
export const ALERT_TYPES: Record<number, string> = {
  0: 'ALERT.MEMORY',
  1: 'ALERT.CPU',
  2: 'ALERT.STORAGE',
  3: 'ALERT.STORAGE.ALLOCATED',
  4: 'ALERT.NETWORK.PUBLICIP',
  5: 'ALERT.NETWORK.PRIVATEIP',
  6: 'ALERT.STORAGE.SECONDARY',
  7: 'ALERT.COMPUTE.HOST',
  8: 'ALERT.USERVM',
  9: 'ALERT.SERVICE.DOMAINROUTER',
  10: 'ALERT.SERVICE.CONSOLEPROXY',
  11: 'ALERT.NETWORK.ROUTING',
  12: 'ALERT.STORAGE.MISC',
  13: 'ALERT.USAGE',
  14: 'ALERT.MANAGEMENT',
  15: 'ALERT.NETWORK.DOMAINROUTERMIGRATE',
  16: 'ALERT.SERVICE.CONSOLEPROXYMIGRATE',
  17: 'ALERT.USERVM.MIGRATE',
  18: 'ALERT.NETWORK.VLAN',
  19: 'ALERT.SERVICE.SSVM',
  20: 'ALERT.USAGE.RESULT',
  21: 'ALERT.STORAGE.DELETE',
  22: 'ALERT.RESOURCE.COUNT',
  23: 'ALERT.USAGE.SANITY',
  24: 'ALERT.NETWORK.DIRECTPUBLICIP',
  25: 'ALERT.STORAGE.LOCAL',
  26: 'ALERT.RESOURCE.EXCEED',
  27: 'ALERT.TYPE.SYNC',
  28: 'ALERT.UPLOAD.FAILED',
  29: 'ALERT.OOBM.AUTHERROR',
  30: 'ALERT.HA.ACTION',
  31: 'ALERT.CA.CERT',
};
/** ALERT_TYPE_OOBM_AUTH_ERROR. */
export const OOBM_AUTH_ERROR = 29;
export const ALERT_JOBS = { generate: 'alert.generate' } as const;
const MEMORY = 0,
  CPU = 1,
  PUBLIC_IP = 4,
  HOST = 7;
const DOWN = new Set(['Down', 'Alert', 'Disconnected']);

export interface NewAlert {
  type: number;
  name?: string;
  subject: string;
  zoneId?: string | null;
  podId?: string | null;
  clusterId?: string | null;
}

/**
 * Alerts (AlertManagerImpl): raised once while their cause lasts and resolved when it ends. The
 * checker looks at what the simulated data center reports: hosts that are not Up, clusters whose
 * allocated CPU or memory and zones whose public addresses pass the notification thresholds.
 */
export class AlertService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<NewAlert & { type: number; name: string }>(ALERT_JOBS.generate, async ({ params }) => {
      await this.store.tx((trx) => this.insert(trx, params));
      return { type: 'success' };
    });
  }

  list(f: { id?: string; type?: number; name?: string; keyword?: string }): Promise<Alert[]> {
    return alertStore.list(this.store.db, {
      ids: f.id ? [f.id] : undefined,
      type: f.type,
      name: f.name,
      keyword: f.keyword,
      archived: false,
    });
  }

  archive(s: EventSelection & { type?: string }): Promise<number> {
    checkSelection(s);
    return this.store.tx((trx) => alertStore.archive(trx, this.selection(s)));
  }

  remove(s: EventSelection & { type?: string }): Promise<number> {
    checkSelection(s);
    return this.store.tx((trx) => alertStore.remove(trx, this.selection(s)));
  }

  private selection(s: EventSelection) {
    return { ids: s.ids, type: s.type === undefined ? undefined : Number(s.type), start: s.start, end: s.end };
  }

  /** generateAlert: a custom kind may not take a built-in kind's number under another name. */
  async submitGenerate(
    caller: Caller,
    a: { type: number; name: string; description: string; zoneId?: string; podId?: string },
    cmd: string,
  ): Promise<string> {
    const builtIn = ALERT_TYPES[a.type];
    if (builtIn && builtIn.toLowerCase() !== a.name.toLowerCase())
      throw invalid(`There is a default alert having type ${a.type} and name ${builtIn}`, 'type');
    const params: NewAlert = { type: a.type, name: a.name, subject: a.description, zoneId: a.zoneId, podId: a.podId };
    return this.jobs.run(caller, { cmd, kind: ALERT_JOBS.generate, params });
  }

  /** Records an alert unless the same one is still open; returns the new alert. */
  async raise(db: Db, a: NewAlert): Promise<Alert | undefined> {
    const open = await alertStore.open(db, {
      type: a.type,
      zoneId: a.zoneId ?? null,
      podId: a.podId ?? null,
      clusterId: a.clusterId ?? null,
      subject: a.subject,
    });
    return open ? undefined : this.insert(db, a);
  }

  private async insert(db: Db, a: NewAlert): Promise<Alert> {
    const alert: Alert = {
      id: newId(),
      type: a.type,
      name: a.name ?? ALERT_TYPES[a.type] ?? `ALERT.${a.type}`,
      subject: a.subject,
      zoneId: a.zoneId ?? null,
      podId: a.podId ?? null,
      clusterId: a.clusterId ?? null,
      archived: 0,
      resolved: null,
      created: this.clock.now(),
    };
    await alertStore.insert(db, alert);
    return alert;
  }

  /** One pass of the checker: raises what is wrong now and resolves what is not wrong any more. */
  async check(): Promise<void> {
    const found = [...(await this.hostsDown()), ...(await this.capacity())];
    const open = [HOST, CPU, MEMORY, PUBLIC_IP].map((t) => alertStore.openOfType(this.store.db, t));
    const stale = (await Promise.all(open))
      .flat()
      .filter((a) => !found.some((f) => f.type === a.type && f.subject === a.subject));
    const fresh: NewAlert[] = [];
    for (const f of found)
      if (
        !(await alertStore.open(this.store.db, {
          ...f,
          zoneId: f.zoneId ?? null,
          podId: f.podId ?? null,
          clusterId: f.clusterId ?? null,
        }))
      )
        fresh.push(f);
    if (!fresh.length && !stale.length) return;
    await this.store.tx(async (trx) => {
      for (const a of stale) await alertStore.resolve(trx, a.id, this.clock.now());
      for (const f of fresh) await this.insert(trx, f);
    });
  }

  private async hostsDown(): Promise<NewAlert[]> {
    const rows = await hostStore.withPlaceNames(this.store.db);
    return rows
      .filter((h) => DOWN.has(h.state))
      .map((h) => ({
        type: HOST,
        zoneId: h.zoneId,
        podId: h.podId,
        subject: `Host is down, name: ${h.name} (id:${h.id}), availability zone: ${h.zone}, pod: ${h.pod}`,
      }));
  }

  private async capacity(): Promise<NewAlert[]> {
    const db = this.store.db;
    const ipAt = this.config.num('zone.virtualnetwork.publicip.capacity.notificationthreshold', 0.75);
    const clusters = await capacityStore.allocatedByCluster(db);
    const out: NewAlert[] = [];
    for (const c of clusters) {
      const where = { zoneId: c.zoneId, podId: c.podId, clusterId: c.clusterId };
      const place = `in cluster ${c.cluster} pod ${c.pod} of availability zone ${c.zone}`;
      // Both thresholds are per cluster (ConfigKey.Scope.Cluster): a cluster's own value wins over the global one.
      const here = c.clusterId ? { scope: 'Cluster' as const, id: c.clusterId } : undefined;
      const cpuAt = this.config.numIn('cluster.cpu.allocated.capacity.notificationthreshold', here, 0.75);
      const memAt = this.config.numIn('cluster.memory.allocated.capacity.notificationthreshold', here, 0.75);
      if (Number(c.cpuTotal) > 0 && Number(c.cpuUsed) / Number(c.cpuTotal) >= cpuAt)
        out.push({ type: CPU, ...where, subject: `System Alert: Low Unallocated CPU ${place}` });
      if (Number(c.memTotal) > 0 && Number(c.memUsed) / Number(c.memTotal) >= memAt)
        out.push({ type: MEMORY, ...where, subject: `System Alert: Low Available Memory ${place}` });
    }
    const ips = await capacityStore.publicIpsByZoneName(db);
    for (const z of ips) {
      if (Number(z.total) > 0 && Number(z.used) / Number(z.total) >= ipAt)
        out.push({
          type: PUBLIC_IP,
          zoneId: z.zoneId,
          subject: `System Alert: Number of unallocated virtual network public IPs is low in availability zone ${z.zone}`,
        });
    }
    return out;
  }
}
