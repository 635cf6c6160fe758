import { randomUUID } from 'node:crypto';
import { openStore, type OpenOptions } from '../../src/store/db.js';
import { intToIp } from '../../src/domain/net.js';

/**
 * Writes `n` stopped VMs (each with a NIC and a ROOT volume) owned by admin straight into a
 * polystack database that has been seeded, in one transaction: the fastest way to a big cloud.
 */
export async function seedVms(target: string | OpenOptions, n: number): Promise<void> {
  const store = await openStore(typeof target === 'string' ? { file: target } : target);
  const db = store.db;
  const admin = await db.selectFrom('accounts').selectAll().where('name', '=', 'admin').executeTakeFirstOrThrow();
  const user = await db.selectFrom('users').selectAll().where('accountId', '=', admin.id).executeTakeFirstOrThrow();
  const zone = await db.selectFrom('zones').selectAll().where('networkType', '=', 'Advanced').executeTakeFirstOrThrow();
  const offering = await db
    .selectFrom('serviceOfferings')
    .selectAll()
    .where('name', '=', 'Small Instance')
    .executeTakeFirstOrThrow();
  const template = await db
    .selectFrom('templates')
    .selectAll()
    .where('templateType', '=', 'BUILTIN')
    .executeTakeFirstOrThrow();
  const netOffering = await db
    .selectFrom('networkOfferings')
    .selectAll()
    .where('name', '=', 'DefaultIsolatedNetworkOfferingWithSourceNatService')
    .executeTakeFirstOrThrow();
  const now = Date.now();
  await store.tx(async (trx) => {
    const networkId = randomUUID();
    await trx
      .insertInto('networks')
      .values({
        id: networkId,
        zoneId: zone.id,
        name: 'bench-network',
        displayText: 'bench-network',
        type: 'Isolated',
        state: 'Allocated',
        cidr: '10.0.0.0/16',
        gateway: '10.0.0.1',
        netmask: '255.255.0.0',
        vlan: null,
        networkOfferingId: netOffering.id,
        physicalNetworkId: null,
        accountId: admin.id,
        domainId: admin.domainId,
        aclType: 'Account',
        isDefault: 0,
        networkDomain: 'cs1cloud.internal',
        created: now,
        removed: null,
      })
      .execute();
    for (let start = 0; start < n; start += 500) {
      const vms = [],
        nics = [],
        vols = [];
      for (let i = start; i < Math.min(n, start + 500); i++) {
        const id = randomUUID();
        const seq = 100_000 + i;
        vms.push({
          id,
          seq,
          name: `bench-${i}`,
          displayName: `bench-${i}`,
          instanceName: `i-${seq}-VM`,
          accountId: admin.id,
          domainId: admin.domainId,
          userId: user.id,
          zoneId: zone.id,
          podId: null,
          clusterId: null,
          hostId: null,
          lastHostId: null,
          templateId: template.id,
          serviceOfferingId: offering.id,
          cpuNumber: offering.cpuNumber,
          cpuSpeed: offering.cpuSpeed,
          memory: offering.memory,
          state: 'Stopped' as const,
          haEnable: 0 as const,
          userData: null,
          keyPairs: null,
          password: null,
          groupName: null,
          created: now + i,
          updated: now + i,
          destroyedAt: null,
          removed: null,
        });
        const ipNum = (10 << 24) + 2 + i;
        nics.push({
          id: randomUUID(),
          vmId: id,
          networkId,
          ipAddress: intToIp(ipNum),
          ipNum,
          netmask: '255.255.0.0',
          gateway: '10.0.0.1',
          macAddress: `02:00:${(i >> 16) & 255}:${(i >> 8) & 255}:${i & 255}:01`.replace(
            /:(\d+)/g,
            (_, d) => ':' + Number(d).toString(16).padStart(2, '0'),
          ),
          isDefault: 1 as const,
          deviceId: 0,
          broadcastUri: null,
          removed: null,
        });
        vols.push({
          id: randomUUID(),
          seq,
          name: `ROOT-${seq}`,
          vmId: id,
          type: 'ROOT',
          state: 'Allocated',
          size: Number(template.size),
          zoneId: zone.id,
          poolId: null,
          diskOfferingId: null,
          templateId: template.id,
          accountId: admin.id,
          domainId: admin.domainId,
          deviceId: 0,
          created: now,
          attached: now,
          removed: null,
        });
      }
      await trx.insertInto('vms').values(vms).execute();
      await trx.insertInto('nics').values(nics).execute();
      await trx.insertInto('volumes').values(vols).execute();
    }
  });
  await store.close();
}
