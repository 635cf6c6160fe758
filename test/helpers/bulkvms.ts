import { randomUUID } from 'node:crypto';
import type { Vm } from '../../src/domain/types.js';
import type { World } from './inprocess.js';

/**
 * `n` Running VMs of the admin account written straight into the vms table (no API, no jobs), in
 * inserts of a few hundred rows, each as deployVirtualMachine would leave it minus NICs and volumes.
 * A second batch gives `from`, the number of bulk VMs written before it (names and seqs go on from there).
 */
export async function insertVms(w: World, n: number, zoneId = w.zones.advanced, from = 0): Promise<string[]> {
  const offering = await w.store.db
    .selectFrom('serviceOfferings')
    .selectAll()
    .where('id', '=', w.small)
    .executeTakeFirstOrThrow();
  const now = w.clock.now();
  const ids: string[] = [];
  const batch: Vm[] = [];
  const flush = async () => {
    if (batch.length) await w.store.db.insertInto('vms').values(batch.splice(0)).execute();
  };
  for (let i = from; i < from + n; i++) {
    const id = randomUUID();
    ids.push(id);
    batch.push({
      id,
      seq: 1_000_000 + i,
      name: `bulk-${i}`,
      displayName: `bulk-${i}`,
      instanceName: `i-2-${1_000_000 + i}-VM`,
      accountId: w.admin.accountId,
      domainId: w.admin.domainId,
      userId: w.admin.userId,
      zoneId,
      podId: null,
      clusterId: null,
      hostId: null,
      lastHostId: null,
      templateId: w.template,
      serviceOfferingId: w.small,
      cpuNumber: offering.cpuNumber,
      cpuSpeed: offering.cpuSpeed,
      memory: offering.memory,
      state: 'Stopped',
      haEnable: 0,
      userData: null,
      keyPairs: null,
      password: null,
      groupName: null,
      created: now,
      updated: now,
      destroyedAt: null,
      removed: null,
    });
    if (batch.length === 400) await flush();
  }
  await flush();
  return ids;
}
