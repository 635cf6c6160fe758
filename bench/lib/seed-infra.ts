import { randomUUID } from 'node:crypto';
import { openStore } from '../../src/store/db.js';
import { intToIp } from '../../src/domain/net.js';

const GiB = 1024 ** 3;

/**
 * Writes `hosts` simulated hosts (in clusters of 100, in the advanced zone's pod) and `vms` running
 * Small Instances spread over them, each with a NIC and a ROOT volume, straight into a seeded
 * polystack database: building that many through the API would take longer than the measurement.
 */
export async function seedHostsAndVms(file: string, hosts: number, vms: number): Promise<void> {
  const store = await openStore({ file });
  const db = store.db;
  const admin = await db.selectFrom('accounts').selectAll().where('name', '=', 'admin').executeTakeFirstOrThrow();
  const user = await db.selectFrom('users').selectAll().where('accountId', '=', admin.id).executeTakeFirstOrThrow();
  const zone = await db.selectFrom('zones').selectAll().where('networkType', '=', 'Advanced').executeTakeFirstOrThrow();
  const pod = await db.selectFrom('pods').selectAll().where('zoneId', '=', zone.id).executeTakeFirstOrThrow();
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
  const perVmCpu = offering.cpuNumber * offering.cpuSpeed;
  const perVmMem = offering.memory * 1024 * 1024;
  await store.tx(async (trx) => {
    const hostIds: string[] = [];
    for (let c = 0; c * 100 < hosts; c++) {
      const clusterId = randomUUID();
      await trx
        .insertInto('clusters')
        .values({
          id: clusterId,
          zoneId: zone.id,
          podId: pod.id,
          name: `bench-${c}`,
          hypervisor: 'Simulator',
          clusterType: 'CloudManaged',
          allocationState: 'Enabled',
          created: now,
        })
        .execute();
      const rows = [];
      for (let i = c * 100; i < Math.min(hosts, (c + 1) * 100); i++) {
        const id = randomUUID();
        hostIds.push(id);
        const load = Math.floor(vms / hosts) + (i < vms % hosts ? 1 : 0);
        rows.push({
          id,
          zoneId: zone.id,
          podId: pod.id,
          clusterId,
          name: `SimulatedAgent.${randomUUID()}`,
          url: `http://sim/bench/${i}`,
          ipAddress: intToIp((172 << 24) + (20 << 16) + i + 2),
          type: 'Routing',
          cpuNumber: 4,
          cpuSpeed: 8000,
          memory: 8 * GiB,
          cpuUsed: load * perVmCpu,
          memoryUsed: load * perVmMem,
          state: 'Up',
          resourceState: 'Enabled',
          created: now,
          lastPinged: now,
          seq: 1_000_000 + i,
          hostTags: null,
        });
      }
      await trx.insertInto('hosts').values(rows).execute();
    }
    const networkId = randomUUID();
    await trx
      .insertInto('networks')
      .values({
        id: networkId,
        zoneId: zone.id,
        name: 'bench-network',
        displayText: 'bench-network',
        type: 'Isolated',
        state: 'Implemented',
        cidr: '10.0.0.0/12',
        gateway: '10.0.0.1',
        netmask: '255.240.0.0',
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
    for (let start = 0; start < vms; start += 500) {
      const vmRows = [],
        nics = [],
        vols = [];
      for (let i = start; i < Math.min(vms, start + 500); i++) {
        const id = randomUUID();
        const seq = 1_000_000 + i;
        const hostId = hostIds[i % hostIds.length]!;
        vmRows.push({
          id,
          seq,
          name: `bench-${i}`,
          displayName: `bench-${i}`,
          instanceName: `i-${seq}-VM`,
          accountId: admin.id,
          domainId: admin.domainId,
          userId: user.id,
          zoneId: zone.id,
          podId: pod.id,
          clusterId: null,
          hostId,
          lastHostId: hostId,
          templateId: template.id,
          serviceOfferingId: offering.id,
          cpuNumber: offering.cpuNumber,
          cpuSpeed: offering.cpuSpeed,
          memory: offering.memory,
          state: 'Running' as const,
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
          netmask: '255.240.0.0',
          gateway: '10.0.0.1',
          macAddress: `02:00:${[(i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`,
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
          state: 'Ready',
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
      await trx.insertInto('vms').values(vmRows).execute();
      await trx.insertInto('nics').values(nics).execute();
      await trx.insertInto('volumes').values(vols).execute();
    }
  });
  await store.close();
}
