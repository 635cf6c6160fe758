import type { CounterSource } from '../../domain/autoscale.js';
import { VR_COUNTERS } from '../../domain/autoscale.js';
import { newId } from '../../domain/ids.js';
import { autoScaleRuleStore } from '../../store/autoscale.store.js';
import type { Db } from '../../store/db.js';

/** AutoScaleManager's ConfigKeys (4.18: seconds, the ones before it milliseconds). */
export const AUTOSCALE_CONFIG = [
  {
    name: 'autoscale.stats.interval',
    value: '60',
    category: 'Advanced',
    description:
      'The interval (in seconds) when VM auto scaling statistics are processed to determine and perform scale action. Less than 1 means disabled.',
  },
  {
    name: 'autoscale.stats.cleanup.delay',
    value: '7200',
    category: 'Advanced',
    description:
      'Determines how long (in seconds) to wait before actually removing auto scaling statistics from database. The default value is 7200 (2 hours).',
  },
  {
    name: 'autoscale.stats.worker',
    value: '10',
    category: 'Advanced',
    description: 'The Number of worker threads to scan the autoscale vm groups.',
  },
];

type Seeded = [provider: string, source: CounterSource, name: string, value: string];

/** The router-measured counters 4.18 adds for each router provider (schema-41720to41800.sql). */
const routerCounters = (provider: string): Seeded[] => [
  [provider, 'CPU', 'VM CPU - average percentage', 'vm.cpu.average.percentage'],
  [provider, 'MEMORY', 'VM Memory - average percentage', 'vm.memory.average.percentage'],
  [provider, 'VIRTUALROUTER', 'Public Network - mbps received per vm', VR_COUNTERS.received],
  [provider, 'VIRTUALROUTER', 'Public Network - mbps transmit per vm', VR_COUNTERS.transmit],
  [provider, 'VIRTUALROUTER', 'Load Balancer - average connections per vm', VR_COUNTERS.lbConnections],
];

/** The counters a 4.18 management server starts with: NetScaler's older four, then the routers' and None's. */
const COUNTERS: Seeded[] = [
  ['Netscaler', 'SNMP', 'Linux User CPU - percentage', '1.3.6.1.4.1.2021.11.9.0'],
  ['Netscaler', 'SNMP', 'Linux System CPU - percentage', '1.3.6.1.4.1.2021.11.10.0'],
  ['Netscaler', 'SNMP', 'Linux CPU Idle - percentage', '1.3.6.1.4.1.2021.11.11.0'],
  ['Netscaler', 'NETSCALER', 'Response Time - microseconds', 'RESPTIME'],
  ...routerCounters('VirtualRouter'),
  ...routerCounters('VpcVirtualRouter'),
  ['None', 'CPU', 'VM CPU - average percentage', 'vm.cpu.average.percentage'],
  ['None', 'MEMORY', 'VM Memory - average percentage', 'vm.memory.average.percentage'],
];

/** Adds the seeded counters a database lacks (INSERT IGNORE on the provider, source and value). */
export async function ensureAutoScaleCounters(db: Db, now: number): Promise<void> {
  const have = new Set((await autoScaleRuleStore.counterKeys(db)).map((c) => `${c.provider}|${c.source}|${c.value}`));
  for (const [i, [provider, source, name, value]] of COUNTERS.entries()) {
    if (have.has(`${provider}|${source}|${value}`)) continue;
    // Seeded a millisecond apart, so listing them by creation keeps this order.
    await autoScaleRuleStore.insertCounter(db, { id: newId(), name, source, value, provider, created: now + i });
  }
}
