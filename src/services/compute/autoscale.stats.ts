import type { Clock } from '../../domain/clock.js';
import {
  DUMMY_ID,
  INVALID_VALUE,
  NATIVE_SOURCES,
  VR_COUNTERS,
  type AsStat,
  type AsValueType,
  type AsVmGroup,
} from '../../domain/autoscale.js';
import type { PolicyRule } from '../../domain/autoscale.decide.js';
import { newId } from '../../domain/ids.js';
import type { NetworkOffering, Vm } from '../../domain/types.js';
import { routerAutoScaleMetrics, vmStats, type RouterAutoScaleMetrics, type VmStats } from '../../domain/usage.js';
import { query, type SimulatedAgent } from '../../simulator/agent.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import type { Store } from '../../store/db.js';
import { loadBalancerStore } from '../../store/loadbalancer.store.js';
import { networkStore } from '../../store/network.store.js';
import { routerStore } from '../../store/router.store.js';
import { vmStore } from '../../store/vm.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { hostRows } from '../../store/host.store.js';

/** AutoScaleVmGroupStatisticsVO(groupId): the dummy row that holds decisions back for a policy's duration. */
export const dummyStat = (g: AsVmGroup, now: number): AsStat => ({
  id: newId(),
  groupId: g.id,
  policyId: DUMMY_ID,
  counterId: DUMMY_ID,
  resourceId: g.id,
  resourceType: 'AutoScaleVmGroup',
  rawValue: INVALID_VALUE,
  valueType: 'INSTANT_VM_GROUP',
  created: now,
  state: 'INACTIVE',
  accountId: g.accountId,
});

/** The load balancer's provider in a network of this offering (getLoadBalancerServiceProvider: the first). */
export const lbProvider = (o: NetworkOffering): string | undefined =>
  (JSON.parse(o.services) as Record<string, string[]>)['Lb']?.[0];

type Resource = { id: string | null; type: 'UserVm' | 'DomainRouter' };

/** A sample, or (without a value) an Inactive one: the figure could not be had. */
function sample(
  g: AsVmGroup,
  policyId: string,
  counterId: string,
  r: Resource,
  value: number | undefined,
  valueType: AsValueType,
  now: number,
): AsStat {
  const ok = value !== undefined;
  return {
    id: newId(),
    groupId: g.id,
    policyId,
    counterId,
    resourceId: r.id,
    resourceType: r.type,
    rawValue: ok ? value : INVALID_VALUE,
    valueType,
    created: now,
    state: ok ? 'ACTIVE' : 'INACTIVE',
    accountId: g.accountId,
  };
}

/**
 * What monitorVirtualRouterAsGroup collects each interval: for CPU and memory counters, each member's
 * figures from its host (GetVmStatsCommand); for the router's counters, the router's answer to
 * GetAutoScaleMetricsCommand. Every sample is written to the group's statistics.
 */
export class AutoScaleStats {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
    private agent: SimulatedAgent,
  ) {}

  async collect(g: AsVmGroup, policies: PolicyRule[]): Promise<void> {
    const counters = policies.flatMap((p) => p.conditions);
    if (counters.some((c) => NATIVE_SOURCES.includes(c.source))) await this.fromHosts(g, policies);
    if (counters.some((c) => c.source === 'VIRTUALROUTER')) await this.fromRouters(g, policies);
  }

  /** getVmStatsFromHosts: members grouped by the host they run on; a member that runs nowhere gives nothing. */
  private async fromHosts(g: AsVmGroup, policies: PolicyRule[]): Promise<void> {
    const db = this.store.db;
    const vms = (
      await vmStore.getMany(
        db,
        (await groups.groupVms(db, g.id)).map((m) => m.vmId),
      )
    ).filter((v) => v.state === 'Running' || v.state === 'Migrating');
    const byHost = new Map<string, Vm[]>();
    for (const v of vms) {
      const host = v.state === 'Running' ? v.hostId : v.lastHostId;
      if (host) byHost.set(host, [...(byHost.get(host) ?? []), v]);
    }
    for (const [hostId, onHost] of byHost) {
      const host = await hostRows.get(db, hostId);
      const stats = await query(this.agent, 'GetVmStatsCommand', host, () => this.vmFigures(onHost)).catch(
        () => new Map<string, VmStats>(),
      );
      const now = this.clock.now();
      await this.store.tx(async (trx) => {
        for (const v of onHost) {
          for (const p of policies) {
            for (const c of p.conditions) {
              if (!NATIVE_SOURCES.includes(c.source)) continue;
              await groups.insertStat(
                trx,
                sample(
                  g,
                  p.id,
                  c.counterId,
                  { id: v.id, type: 'UserVm' },
                  nativeValue(c.source, stats.get(v.id)),
                  'INSTANT_VM',
                  now,
                ),
              );
            }
          }
        }
      });
    }
  }

  /** VmStatsEntry per VM, as the simulated hypervisor reports it (the metrics plugin's figures). */
  private vmFigures(vms: Vm[]): Map<string, VmStats> {
    const window = { intervalMs: this.config.num('vm.stats.interval', 60000), retentionMs: 0, accumulate: false };
    return new Map(vms.map((v) => [v.id, vmStats(v, this.clock.now() - v.updated, window)]));
  }

  /** getNetworkStatsFromVirtualRouter: each router of the rule's network (or VPC) asked; no router, or a silent one, gives Inactive samples. */
  private async fromRouters(g: AsVmGroup, policies: PolicyRule[]): Promise<void> {
    const db = this.store.db;
    const lb = await loadBalancerStore.get(db, g.lbRuleId);
    const net = lb ? await networkStore.get(db, lb.networkId) : undefined;
    const router = net?.vpcId
      ? await routerStore.forVpc(db, net.vpcId)
      : net
        ? await routerStore.forNetwork(db, net.id)
        : undefined;
    let figures: RouterAutoScaleMetrics | undefined;
    if (router?.state === 'Running') {
      const host = router.hostId ? await hostRows.get(db, router.hostId) : undefined;
      const intervalMs = this.config.num('vm.stats.interval', 60000);
      figures = await query(this.agent, 'GetAutoScaleMetricsCommand', host, () =>
        routerAutoScaleMetrics(this.clock.now() - router.created, intervalMs),
      ).catch(() => undefined);
    }
    const now = this.clock.now();
    const resource: Resource = { id: router?.id ?? null, type: 'DomainRouter' };
    await this.store.tx(async (trx) => {
      for (const p of policies) {
        for (const c of p.conditions) {
          if (c.source !== 'VIRTUALROUTER') continue;
          const [value, type] = routerValue(c.counterValue, figures);
          await groups.insertStat(trx, sample(g, p.id, c.counterId, resource, value, type, now));
        }
      }
    });
  }
}

/** processVmStatsByIdFromHost: CPU as a fraction, memory in use in MB (none when the guest reports more free than it has). */
function nativeValue(source: string, s: VmStats | undefined): number | undefined {
  if (!s) return undefined;
  if (source === 'CPU') return s.cpuUtilization / 100;
  if (s.intFreeMemoryKBs >= 0 && s.intFreeMemoryKBs <= s.memoryKBs) return (s.memoryKBs - s.intFreeMemoryKBs) / 1024;
  return undefined;
}

/** The router's value of a counter (VirtualRouterAutoScaleCounter) and how it is read: traffic is a rate of a growing counter, sessions an instant value. */
function routerValue(counter: string, m: RouterAutoScaleMetrics | undefined): [number | undefined, AsValueType] {
  switch (counter) {
    case VR_COUNTERS.received:
      return [m?.receivedMbits, 'AGGREGATED_VM_GROUP'];
    case VR_COUNTERS.transmit:
      return [m?.transmitMbits, 'AGGREGATED_VM_GROUP'];
    case VR_COUNTERS.lbConnections:
      return [m?.lbConnections, 'INSTANT_VM'];
    default:
      return [undefined, 'INSTANT_VM'];
  }
}
