// Capacity, maintenance and enable/disable as an operator sees them through the CloudStack API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { cluster, simHost, tinyZone } from '../helpers/tinyzone.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('capacity, maintenance and allocation state through the API', () => {
  let w: World;
  let api: Api;
  const zone: Record<string, string> = {};
  const host: Record<string, string> = {};
  before(async () => {
    const full = tinyZone('Full', [cluster('F0', [simHost('f/h0', 1, 1000, GiB), simHost('f/h1', 1, 1000, GiB)])]);
    const moves = tinyZone('Moves', [
      cluster('M0', [simHost('m0/h0', 2, 2000, 2 * GiB), simHost('m0/h1', 2, 2000, 2 * GiB)]),
      cluster('M1', [simHost('m1/h2', 2, 2000, 2 * GiB)]),
    ]);
    w = await world({ delayMs: 0, datacenters: [full, moves] });
    api = await apiSession(w);
    for (const z of (await api('listZones')).body.zone) zone[z.name] = z.id;
    for (const h of (await api('listHosts')).body.host) host[h.ipaddress] = h.id;
  });
  after(() => w.close());

  const deploy = (zoneid: string, name: string) =>
    runJob(w, api, 'deployVirtualMachine', { zoneid, serviceofferingid: w.small, templateid: w.template, name });
  const hostOf = async (vmId: string) =>
    (await api('listVirtualMachines', { id: vmId })).body.virtualmachine[0].hostid as string;
  const capacity = async (zoneid: string) => {
    const rows = (await api('listCapacity', { zoneid })).body.capacity as {
      type: number;
      capacityused: number;
      capacitytotal: number;
      percentused: string;
      name: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r]));
  };
  const hostsByName = async (zoneid: string) =>
    (await api('listHosts', { zoneid })).body.host as {
      id: string;
      ipaddress: string;
      clustername: string;
      resourcestate: string;
    }[];

  it('fills a zone of two small hosts, answers the next deploy with 533 and holds nothing for it; a deleted VM makes room', async () => {
    const c0 = await capacity(zone['Full']!);
    assert.deepEqual(
      [
        c0['MEMORY']!.capacitytotal,
        c0['MEMORY']!.capacityused,
        c0['CPU']!.capacitytotal,
        c0['CPU_CORE']!.capacitytotal,
      ],
      [2 * GiB, 0, 2000, 2],
    );
    const vms: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await deploy(zone['Full']!, `full-${i}`);
      assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
      vms.push(r.jobresult.virtualmachine.id);
    }
    const full = await capacity(zone['Full']!);
    assert.equal(full['MEMORY']!.capacityused, 4 * 512 * MiB);
    assert.equal(full['CPU']!.capacityused, 2000);
    assert.equal(full['CPU']!.percentused, '100');
    const refused = await deploy(zone['Full']!, 'full-4');
    assert.equal(refused.jobstatus, 2);
    assert.equal(refused.jobresultcode, 533);
    assert.match(refused.jobresult.errortext, /^Unable to create a deployment for VM\[User\|i-\d+-VM\]$/);
    assert.deepEqual(
      Object.keys(refused.jobresult),
      ['uuidList', 'errorcode', 'errortext'],
      'the async dispatcher sets no cserrorcode',
    );
    assert.deepEqual(await capacity(zone['Full']!), full, 'the refused VM holds no cpu, memory, storage or address');
    const destroyed = await runJob(w, api, 'destroyVirtualMachine', { id: vms[0]!, expunge: true });
    assert.equal(destroyed.jobstatus, 1);
    assert.equal((await capacity(zone['Full']!))['MEMORY']!.capacityused, 3 * 512 * MiB);
    assert.equal((await deploy(zone['Full']!, 'full-again')).jobstatus, 1, 'the freed room takes a new VM');
  });

  it('moves running VMs off a host prepared for maintenance and places nothing new on it', async () => {
    const hosts = await hostsByName(zone['Moves']!);
    const [h0, h1] = hosts.filter((h) => h.clustername === 'M0');
    const a = (await deploy(zone['Moves']!, 'move-a')).jobresult.virtualmachine.id;
    const b = (await deploy(zone['Moves']!, 'move-b')).jobresult.virtualmachine.id;
    assert.deepEqual([await hostOf(a), await hostOf(b)], [h0!.id, h0!.id], 'first fit puts both on the first host');
    const m = await runJob(w, api, 'prepareHostForMaintenance', { id: h0!.id });
    assert.equal(m.jobstatus, 1, JSON.stringify(m.jobresult));
    assert.equal(m.jobresult.host.resourcestate, 'Maintenance');
    assert.deepEqual([await hostOf(a), await hostOf(b)], [h1!.id, h1!.id], 'both VMs live-migrated within the cluster');
    const [listed] = (await api('listHosts', { id: h0!.id })).body.host;
    assert.deepEqual([listed.resourcestate, listed.memoryallocated, listed.cpuallocated], ['Maintenance', 0, '0%']);
    const c = (await deploy(zone['Moves']!, 'move-c')).jobresult.virtualmachine.id;
    assert.notEqual(await hostOf(c), h0!.id, 'a host in maintenance takes no new VM');
    const again = await runJob(w, api, 'prepareHostForMaintenance', { id: h0!.id });
    assert.equal(
      again.jobresult.errortext,
      'Host is already in state Maintenance. Cannot recall for maintenance until resolved.',
    );
    assert.equal(
      (await runJob(w, api, 'cancelHostMaintenance', { id: h0!.id })).jobresult.host.resourcestate,
      'Enabled',
    );
  });

  it('does not place VMs on a disabled host or in a disabled cluster', async () => {
    const hosts = await hostsByName(zone['Moves']!);
    const [h0, h1] = hosts.filter((h) => h.clustername === 'M0');
    const h2 = hosts.find((h) => h.clustername === 'M1')!;
    const wrong = await api('updateHost', { id: h0!.id, allocationstate: 'Disabled' });
    assert.equal(wrong.status, 431);
    assert.equal(wrong.body.errortext, 'Invalid allocation state: Disabled, only Enable/Disable are allowed');
    assert.equal(
      (await api('updateHost', { id: h0!.id, allocationstate: 'Disable' })).body.host.resourcestate,
      'Disabled',
    );
    assert.equal(await hostOf((await deploy(zone['Moves']!, 'dis-a')).jobresult.virtualmachine.id), h1!.id);
    const [m0] = (await api('listClusters', { zoneid: zone['Moves']!, name: 'M0' })).body.cluster;
    assert.equal(
      (await api('updateCluster', { id: m0.id, allocationstate: 'Disabled' })).body.cluster.allocationstate,
      'Disabled',
    );
    assert.equal(
      await hostOf((await deploy(zone['Moves']!, 'dis-b')).jobresult.virtualmachine.id),
      h2.id,
      'only the other cluster is left',
    );
    await api('updateCluster', { id: m0.id, allocationstate: 'Enabled' });
    await api('updateHost', { id: h0!.id, allocationstate: 'Enable' });
  });

  it('leaves a host PrepareForMaintenance when its VMs have nowhere to go (doMaintain moved it there first)', async () => {
    const h2 = (await hostsByName(zone['Moves']!)).find((h) => h.clustername === 'M1')!;
    const r = await runJob(w, api, 'prepareHostForMaintenance', { id: h2.id });
    assert.equal(r.jobstatus, 2);
    assert.equal(r.jobresultcode, 530);
    assert.equal(r.jobresult.errortext, `Unable to prepare for maintenance host ${h2.id}`);
    const [after] = (await api('listHosts', { id: h2.id })).body.host;
    assert.equal(after.resourcestate, 'PrepareForMaintenance');
    const again = await runJob(w, api, 'prepareHostForMaintenance', { id: h2.id });
    assert.equal(
      again.jobresult.errortext,
      'Host is already in state PrepareForMaintenance. Cannot recall for maintenance until resolved.',
    );
    const vms = (await api('listVirtualMachines', { hostid: h2.id })).body.virtualmachine;
    assert.ok(
      vms?.length && vms.every((v: { state: string }) => v.state === 'Running'),
      'its VM keeps running where it was',
    );
    assert.equal(
      (await runJob(w, api, 'cancelHostMaintenance', { id: h2.id })).jobresult.host.resourcestate,
      'Enabled',
    );
  });

  it('reports capacity per pod and cluster with the capacity type numbers CloudStack uses', async () => {
    const [m0] = (await api('listClusters', { zoneid: zone['Moves']!, name: 'M0' })).body.cluster;
    const rows = (await api('listCapacity', { clusterid: m0.id })).body.capacity as {
      type: number;
      clusterid: string;
      capacitytotal: number;
    }[];
    assert.deepEqual(
      rows.map((r) => r.type).sort((x, y) => x - y),
      [0, 1, 2, 3, 90],
    );
    assert.ok(rows.every((r) => r.clusterid === m0.id));
    assert.equal(rows.find((r) => r.type === 0)!.capacitytotal, 4 * GiB);
    const zoneTypes = ((await api('listCapacity', { zoneid: zone['Moves']! })).body.capacity as { type: number }[]).map(
      (r) => r.type,
    );
    for (const t of [0, 1, 2, 3, 4, 5, 6, 7, 90]) assert.ok(zoneTypes.includes(t), `zone capacity type ${t}`);
    const publicIps = (await api('listCapacity', { zoneid: zone['Moves']!, type: 4 })).body.capacity;
    assert.equal(publicIps.length, 1);
    assert.equal(publicIps[0].capacitytotal, 49, '192.168.50.2-50');
  });
});
