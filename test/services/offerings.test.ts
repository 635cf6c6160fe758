import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';

/** Service and disk offerings through the CloudStack API: what createServiceOffering & co. keep, and what deploys then obey. */
describe('service and disk offerings', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  const create = async (params: Record<string, string | number | boolean>) => {
    const r = await admin('createServiceOffering', { displaytext: String(params['name'] ?? 'x'), ...params });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.serviceoffering;
  };
  const refused = async (command: string, params: Record<string, string | number | boolean>, text: RegExp | string) => {
    const r = await admin(command, params);
    assert.equal(r.status, 431, JSON.stringify(r.body));
    if (typeof text === 'string') assert.equal(r.body.errortext, text);
    else assert.match(r.body.errortext, text);
  };
  const deploy = (api: Api, params: Record<string, string | number | boolean>) =>
    runJob(w, api, 'deployVirtualMachine', { zoneid: w.zones.advanced, templateid: w.template, ...params });

  it('creates a fixed offering that lists with what was asked for, and records the event', async () => {
    const o = await create({
      name: 'tiny',
      cpunumber: 1,
      cpuspeed: 100,
      memory: 128,
      storagetype: 'shared',
      offerha: true,
      limitcpuuse: true,
      isvolatile: true,
      tags: ' ssd , fast ,',
      hosttags: 'gpu',
      provisioningtype: 'sparse',
      encryptroot: true,
      dynamicscalingenabled: false,
      bytesreadrate: 1000,
      bytesreadratemax: 2000,
      iopswriterate: 10,
    });
    assert.equal(o.cpunumber, 1);
    assert.equal(o.cpuspeed, 100);
    assert.equal(o.memory, 128);
    assert.equal(o.offerha, true);
    assert.equal(o.limitcpuuse, true);
    assert.equal(o.isvolatile, true);
    assert.equal(o.storagetags, 'ssd,fast');
    assert.equal(o.hosttags, 'gpu');
    assert.equal(o.provisioningtype, 'sparse');
    assert.equal(o.encryptroot, true);
    assert.equal(o.dynamicscalingenabled, false);
    assert.equal(o.diskBytesReadRate, 1000);
    assert.equal(o.diskBytesReadRateMax, 2000);
    assert.equal(o.diskIopsWriteRate, 10);
    assert.equal(o.iscustomized, false);
    const [listed] = (await admin('listServiceOfferings', { id: o.id })).body.serviceoffering;
    assert.deepEqual(listed, o);
    const events = (await admin('listEvents', { type: 'SERVICE.OFFERING.CREATE' })).body.event ?? [];
    assert.ok(events.length >= 1);
  });

  it('refuses bad sizes and settings with CloudStack texts', async () => {
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', customized: true, cpunumber: 1 },
      'For creating a custom compute offering cpu and memory all should be null',
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, cpuspeed: 100, memory: 16 },
      'Failed to create service offering c: specify the memory value between 32 and 2147483647 MB',
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, memory: 64 },
      'Failed to create service offering c: specify the cpu speed value between 0 and 2147483647',
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', customized: true, mincpunumber: 1 },
      /should all be null or all specified/,
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, cpuspeed: 1, memory: 64, storagetype: 'local', offerha: true },
      'HA offering with local storage is not supported. ',
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, cpuspeed: 1, memory: 64, storagetype: 'nfs' },
      "Invalid storage type nfs specified, valid types are: 'local' and 'shared'",
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, cpuspeed: 1, memory: 64, cachemode: 'bad' },
      /valid cache mode/,
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, cpuspeed: 1, memory: 64, bytesreadrate: 10, bytesreadratemax: 5 },
      'Bytes Read rate (10) cannot be greater than Bytes Read maximum rate (5)',
    );
    await refused(
      'createServiceOffering',
      {
        name: 'c',
        displaytext: 'c',
        cpunumber: 1,
        cpuspeed: 1,
        memory: 64,
        zoneid: '9b3c1d2e-1111-4222-8333-944455556666',
      },
      /Invalid parameter zoneid value=9b3c1d2e-1111-4222-8333-944455556666/,
    );
    await refused(
      'createServiceOffering',
      { name: 'c', displaytext: 'c', cpunumber: 1, cpuspeed: 1, memory: 64, issystem: true, systemvmtype: 'bogus' },
      /Invalid systemVmType/,
    );
    const left = (await admin('listServiceOfferings', { name: 'c' })).body.serviceoffering;
    assert.equal(left, undefined, 'nothing of a refused create stays');
  });

  it('a system offering lists only when asked for', async () => {
    const o = await create({
      name: 'router-offering',
      cpunumber: 1,
      cpuspeed: 100,
      memory: 128,
      issystem: true,
      systemvmtype: 'domainrouter',
    });
    assert.equal(o.issystem, true);
    assert.equal(o.systemvmtype, 'domainrouter');
    assert.ok(!((await admin('listServiceOfferings', {})).body.serviceoffering as any[]).some((x) => x.id === o.id));
    assert.ok(
      ((await admin('listServiceOfferings', { issystem: true })).body.serviceoffering as any[]).some(
        (x) => x.id === o.id,
      ),
    );
  });

  it('updates name, text, host and storage tags; deleting hides the offering but its VMs keep running', async () => {
    const o = await create({ name: 'to-edit', cpunumber: 1, cpuspeed: 100, memory: 128 });
    const u = (
      await admin('updateServiceOffering', {
        id: o.id,
        name: 'edited',
        displaytext: 'Edited',
        storagetags: 'a,b',
        hosttags: '',
      })
    ).body.serviceoffering;
    assert.equal(u.name, 'edited');
    assert.equal(u.displaytext, 'Edited');
    assert.equal(u.storagetags, 'a,b');
    assert.equal(u.hosttags, undefined);
    // An empty parameter is no parameter; a blank one clears the tags.
    assert.equal(
      (await admin('updateServiceOffering', { id: o.id, storagetags: '' })).body.serviceoffering.storagetags,
      'a,b',
    );
    assert.equal(
      (await admin('updateServiceOffering', { id: o.id, storagetags: ' ' })).body.serviceoffering.storagetags,
      undefined,
    );
    const vm = (await deploy(admin, { serviceofferingid: o.id })).jobresult.virtualmachine;
    assert.equal(vm.state, 'Running');
    assert.equal((await admin('deleteServiceOffering', { id: o.id })).body.success, true);
    assert.equal((await admin('listServiceOfferings', { id: o.id })).body.serviceoffering, undefined);
    const [still] = (await admin('listVirtualMachines', { id: vm.id })).body.virtualmachine;
    assert.equal(still.state, 'Running');
    assert.equal(still.serviceofferingname, 'edited');
    const again = await admin('deployVirtualMachine', {
      zoneid: w.zones.advanced,
      templateid: w.template,
      serviceofferingid: o.id,
    });
    assert.equal(again.status, 431, 'a deleted offering cannot be deployed');
    // CloudStack only marks a deleted offering Inactive and finds it again: a second delete succeeds
    // (test_resource_accounting's cleanup deletes an offering its test already deleted).
    assert.equal((await admin('deleteServiceOffering', { id: o.id })).body.success, true);
    assert.equal((await admin('listServiceOfferings', { id: o.id })).body.serviceoffering, undefined);
    await refused(
      'deleteServiceOffering',
      { id: 'c6f0c1d2-0000-4000-8000-000000000000' },
      /c6f0c1d2-0000-4000-8000-000000000000/,
    );
  });

  it('a customized offering takes its size from the deploy, within its limits', async () => {
    const o = await create({
      name: 'custom',
      customized: true,
      cpuspeed: 500,
      mincpunumber: 1,
      maxcpunumber: 4,
      minmemory: 256,
      maxmemory: 4096,
    });
    assert.equal(o.iscustomized, true);
    assert.equal(o.cpunumber, undefined);
    assert.equal(o.serviceofferingdetails.maxcpunumber, '4');
    const none = await admin('deployVirtualMachine', {
      zoneid: w.zones.advanced,
      templateid: w.template,
      serviceofferingid: o.id,
    });
    assert.equal(none.status, 431);
    assert.equal(
      none.body.errortext,
      'Need to specify custom parameter values cpu, cpu speed and memory when using custom offering',
    );
    const big = await admin('deployVirtualMachine', {
      zoneid: w.zones.advanced,
      templateid: w.template,
      serviceofferingid: o.id,
      'details[0].cpuNumber': 8,
      'details[0].memory': 512,
    });
    assert.equal(big.body.errortext, 'Invalid cpu cores value, specify a value between 1 and 4');
    const vm = (await deploy(admin, { serviceofferingid: o.id, 'details[0].cpuNumber': 2, 'details[0].memory': 1024 }))
      .jobresult.virtualmachine;
    assert.equal(vm.cpunumber, 2);
    assert.equal(vm.memory, 1024);
    assert.equal(vm.cpuspeed, 500);
  });

  it('host tags choose the hosts a VM may run on', async () => {
    const o = await create({ name: 'tagged', cpunumber: 1, cpuspeed: 100, memory: 128, hosttags: 'special' });
    const failed = await deploy(admin, { serviceofferingid: o.id });
    assert.equal(failed.jobstatus, 2, 'no host carries the tag');
    const [host] = (await admin('listHosts', { zoneid: w.zones.advanced, type: 'Routing' })).body.host;
    assert.equal((await admin('updateHost', { id: host.id, hosttags: 'special' })).status, 200);
    const vm = (await deploy(admin, { serviceofferingid: o.id })).jobresult.virtualmachine;
    assert.equal(vm.hostid, host.id);
    await refused('updateServiceOffering', { id: o.id, hosttags: 'other' }, /There are active VMs using offering/);
  });

  it('storage tags choose the pools a root disk may go to', async () => {
    const o = await create({ name: 'on-ssd', cpunumber: 1, cpuspeed: 100, memory: 128, tags: 'ssd' });
    assert.equal((await deploy(admin, { serviceofferingid: o.id })).jobstatus, 2, 'no pool carries the tag');
    const pools = (await admin('listStoragePools', { zoneid: w.zones.advanced })).body.storagepool as any[];
    for (const p of pools) assert.equal((await admin('updateStoragePool', { id: p.id, tags: 'ssd' })).status, 200);
    const vm = (await deploy(admin, { serviceofferingid: o.id })).jobresult.virtualmachine;
    assert.equal(vm.state, 'Running');
    for (const p of pools) await admin('updateStoragePool', { id: p.id, tags: ' ' });
  });

  it('an offering limited to a domain and a zone: other domains do not see or use it', async () => {
    const dom = (await admin('createDomain', { name: 'offer-dom' })).body.domain;
    for (const [acct, domainid] of [
      ['inside', dom.id],
      ['outside', undefined],
    ] as const) {
      const r = await admin('createAccount', {
        account: acct,
        username: acct,
        password: 'pw',
        email: `${acct}@x`,
        firstname: acct,
        lastname: 't',
        accounttype: 0,
        ...(domainid ? { domainid } : {}),
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const o = await create({
      name: 'dom-only',
      cpunumber: 1,
      cpuspeed: 100,
      memory: 128,
      domainid: dom.id,
      zoneid: w.zones.advanced,
    });
    assert.equal(o.domainid, dom.id);
    assert.equal(o.domain, 'offer-dom');
    assert.equal(o.zoneid, w.zones.advanced);
    const inside = await apiSession(w, 'inside', 'pw', 'ROOT/offer-dom');
    const outside = await apiSession(w, 'outside', 'pw');
    assert.ok(((await inside('listServiceOfferings', {})).body.serviceoffering as any[]).some((x) => x.id === o.id));
    assert.ok(!((await outside('listServiceOfferings', {})).body.serviceoffering as any[]).some((x) => x.id === o.id));
    assert.equal(
      (await inside('listServiceOfferings', { zoneid: w.zones.basic })).body.serviceoffering.some(
        (x: any) => x.id === o.id,
      ),
      false,
    );
    const denied = await outside('deployVirtualMachine', {
      zoneid: w.zones.advanced,
      templateid: w.template,
      serviceofferingid: o.id,
    });
    assert.equal(denied.status, 531);
    const wrongZone = await inside('deployVirtualMachine', {
      zoneid: w.zones.basic,
      templateid: w.template,
      serviceofferingid: o.id,
    });
    assert.equal(wrongZone.status, 531);
    assert.equal((await deploy(inside, { serviceofferingid: o.id })).jobresult.virtualmachine.state, 'Running');
    const made = await outside('createServiceOffering', {
      name: 'mine',
      displaytext: 'mine',
      cpunumber: 1,
      cpuspeed: 1,
      memory: 64,
    });
    assert.equal(made.status, 432, 'a user may not create offerings');
    const disk = (
      await admin('createDiskOffering', { name: 'dom-disk', displaytext: 'dom-disk', disksize: 1, domainid: dom.id })
    ).body.diskoffering;
    assert.equal(
      (await outside('createVolume', { name: 'v', zoneid: w.zones.advanced, diskofferingid: disk.id })).status,
      531,
      'a disk offering of another domain',
    );
    assert.ok(!((await outside('listDiskOfferings', {})).body.diskoffering as any[]).some((x) => x.id === disk.id));
    assert.equal(
      (await inside('createVolume', { name: 'v', zoneid: w.zones.advanced, diskofferingid: disk.id })).status,
      200,
    );
    const pub = (await admin('updateServiceOffering', { id: o.id, domainid: 'public', zoneid: 'all' })).body
      .serviceoffering;
    assert.equal(pub.domainid, undefined);
    assert.ok(((await outside('listServiceOfferings', {})).body.serviceoffering as any[]).some((x) => x.id === o.id));
  });

  it('disk offerings: create, refuse, update, delete; the compute halves never list', async () => {
    const d = (
      await admin('createDiskOffering', {
        name: 'disk-10',
        displaytext: 'Ten',
        disksize: 10,
        tags: 'ssd',
        provisioningtype: 'fat',
        miniops: 100,
        maxiops: 200,
        customizediops: false,
        encrypt: true,
        disksizestrictness: true,
      })
    ).body.diskoffering;
    assert.equal(d.disksize, 10);
    assert.equal(d.tags, 'ssd');
    assert.equal(d.provisioningtype, 'fat');
    assert.equal(d.miniops, 100);
    assert.equal(d.maxiops, 200);
    assert.equal(d.iscustomizediops, false);
    assert.equal(d.encrypt, true);
    assert.equal(d.disksizestrictness, true);
    assert.equal(d.iscustomized, false);
    await refused(
      'createDiskOffering',
      { name: 'x', displaytext: 'x' },
      'Disksize is required for a non-customized disk offering',
    );
    await refused(
      'createDiskOffering',
      { name: 'x', displaytext: 'x', customized: true, disksize: 5 },
      'Disksize is not allowed for a customized disk offering',
    );
    await refused(
      'createDiskOffering',
      { name: 'x', displaytext: 'x', disksize: 0 },
      'Please specify a disk size of at least 1 GB.',
    );
    await refused(
      'createDiskOffering',
      { name: 'x', displaytext: 'x', disksize: 5000 },
      'The maximum size for a disk is 2000 GB.',
    );
    await refused(
      'createDiskOffering',
      { name: 'x', displaytext: 'x', disksize: 5, customizediops: false, miniops: 300, maxiops: 200 },
      'The min IOPS must be less than or equal to the max IOPS.',
    );
    const custom = (await admin('createDiskOffering', { name: 'disk-custom', displaytext: 'Any', customized: true }))
      .body.diskoffering;
    assert.equal(custom.iscustomized, true);
    const u = (
      await admin('updateDiskOffering', {
        id: d.id,
        name: 'disk-ten',
        displayoffering: false,
        tags: ' ',
        byteswriterate: 500,
      })
    ).body.diskoffering;
    assert.equal(u.name, 'disk-ten');
    assert.equal(u.displayoffering, false);
    assert.equal(u.tags, undefined);
    assert.equal(u.diskBytesWriteRate, 500);
    const names = ((await admin('listDiskOfferings', {})).body.diskoffering as any[]).map((x) => x.name);
    assert.ok(names.includes('disk-ten'));
    assert.ok(!names.includes('Small Instance'), 'the disk half of a compute offering is not a disk offering');
    assert.equal((await admin('deleteDiskOffering', { id: d.id })).body.success, true);
    assert.equal((await admin('listDiskOfferings', { id: d.id })).body.diskoffering, undefined);
    assert.equal(
      (await admin('deleteDiskOffering', { id: d.id })).body.success,
      true,
      'an Inactive offering is found and deleted again',
    );
    assert.equal((await admin('listDiskOfferings', { id: d.id })).body.diskoffering, undefined);
    assert.ok(((await admin('listEvents', { type: 'DISK.OFFERING.DELETE' })).body.event ?? []).length >= 1);
  });
});
