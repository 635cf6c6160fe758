import assert from 'node:assert/strict';
import { privateDecrypt, constants } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';

describe('day-2 VM operations through the CloudStack API', () => {
  let w: World;
  let api: Api;
  let ubuntu: string;
  let medium: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    api = await apiSession(w);
    ubuntu = (await api('listTemplates', { templatefilter: 'featured', name: 'Ubuntu 22.04 (Simulator)' })).body
      .template[0].id;
    medium = (await api('listServiceOfferings', { name: 'Medium Instance' })).body.serviceoffering[0].id;
  });
  after(() => w.close());

  const deploy = async (zoneid: string, extra: Record<string, string> = {}) =>
    (
      await runJob(w, api, 'deployVirtualMachine', {
        zoneid,
        serviceofferingid: w.small,
        templateid: w.template,
        ...extra,
      })
    ).jobresult.virtualmachine;

  it('update, stop, change offering, start: the VM shows the new name, group and offering', async () => {
    const vm = await deploy(w.zones.basic);
    const u = await api('updateVirtualMachine', { id: vm.id, displayname: 'web server', group: 'web' });
    assert.equal(u.body.virtualmachine.displayname, 'web server');
    assert.equal(u.body.virtualmachine.group, 'web');
    assert.equal(
      (await api('listInstanceGroups', {})).body.instancegroup.some((g: any) => g.name === 'web'),
      true,
    );
    assert.equal(
      (await api('changeServiceForVirtualMachine', { id: vm.id, serviceofferingid: medium })).status,
      431,
      'a running VM cannot change offering',
    );
    await runJob(w, api, 'stopVirtualMachine', { id: vm.id });
    const c = await api('changeServiceForVirtualMachine', { id: vm.id, serviceofferingid: medium });
    assert.equal(c.body.virtualmachine.serviceofferingname, 'Medium Instance');
    assert.equal(c.body.virtualmachine.memory, 1024);
    const started = await runJob(w, api, 'startVirtualMachine', { id: vm.id });
    assert.equal(started.jobresult.virtualmachine.state, 'Running');
  });

  it('scales a running VM up, holding the difference on its host; scaling down is refused', async () => {
    // A running VM scales only when the zone, its template and its offering allow dynamic scaling.
    assert.equal((await api('updateConfiguration', { name: 'enable.dynamic.scale.vm', value: 'true' })).status, 200);
    assert.equal((await api('updateTemplate', { id: w.template, isdynamicallyscalable: true })).status, 200);
    const vm = await deploy(w.zones.advanced);
    const scaled = await runJob(w, api, 'scaleVirtualMachine', { id: vm.id, serviceofferingid: medium });
    assert.equal(scaled.jobstatus, 1);
    assert.equal(scaled.jobresult.virtualmachine.memory, 1024);
    const host = await w.store.db
      .selectFrom('hosts')
      .selectAll()
      .where('id', '=', scaled.jobresult.virtualmachine.hostid)
      .executeTakeFirstOrThrow();
    const onHost = await w.store.db
      .selectFrom('vms')
      .selectAll()
      .where('hostId', '=', host.id)
      .where('removed', 'is', null)
      .execute();
    assert.equal(
      Number(host.memoryUsed),
      onHost.reduce((a, v) => a + v.memory * 1024 * 1024, 0),
    );
    const down = await runJob(w, api, 'scaleVirtualMachine', { id: vm.id, serviceofferingid: w.small });
    assert.equal(down.jobstatus, 2);
    assert.match(down.jobresult.errortext, /Only scaling up/);
  });

  it('resets the password of a password-enabled template and hands it out encrypted with the SSH key', async () => {
    const kp = (await api('createSSHKeyPair', { name: 'ops-key' })).body.keypair;
    const vm = await deploy(w.zones.basic, { templateid: ubuntu, keypair: 'ops-key' });
    assert.ok(vm.password, 'the deploy result shows the generated password');
    const reset = await runJob(w, api, 'resetPasswordForVirtualMachine', { id: vm.id });
    const password = reset.jobresult.virtualmachine.password;
    assert.ok(password && password !== vm.password);
    const enc = (await api('getVMPassword', { id: vm.id })).body.password.encryptedpassword;
    // Node refuses PKCS#1 v1.5 decryption; undo the padding (00 02 <random> 00 <message>) by hand.
    const raw = privateDecrypt({ key: kp.privatekey, padding: constants.RSA_NO_PADDING }, Buffer.from(enc, 'base64'));
    assert.equal(raw[0], 0);
    assert.equal(raw[1], 2);
    const clear = raw.subarray(raw.indexOf(0, 2) + 1).toString();
    assert.equal(clear, password);
    const noPw = await deploy(w.zones.basic);
    assert.equal((await runJob(w, api, 'resetPasswordForVirtualMachine', { id: noPw.id })).jobstatus, 2);
  });

  it('resets the SSH key of a stopped VM only', async () => {
    await api('createSSHKeyPair', { name: 'second-key' });
    const vm = await deploy(w.zones.basic);
    assert.equal(
      (await runJob(w, api, 'resetSSHKeyForVirtualMachine', { id: vm.id, keypair: 'second-key' })).jobstatus,
      2,
    );
    await runJob(w, api, 'stopVirtualMachine', { id: vm.id });
    const r = await runJob(w, api, 'resetSSHKeyForVirtualMachine', { id: vm.id, keypair: 'second-key' });
    assert.equal(r.jobresult.virtualmachine.keypairs, 'second-key');
  });

  it('restores a VM onto a new root disk', async () => {
    const vm = await deploy(w.zones.basic);
    const before = (await api('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    const r = await api('restoreVirtualMachine', { virtualmachineid: vm.id });
    assert.ok(r.body.jobid, 'restoreVirtualMachine answers under restorevmresponse');
    await finish(w, r.body.jobid);
    assert.equal((await api('queryAsyncJobResult', { jobid: r.body.jobid })).body.jobstatus, 1);
    const after = (await api('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    assert.notEqual(after.id, before.id);
  });

  it('migrates a running VM to another host, moving its reservation', async () => {
    const vm = await deploy(w.zones.advanced);
    const hosts = (
      await w.store.db
        .selectFrom('hosts')
        .selectAll()
        .where('zoneId', '=', w.zones.advanced)
        .where('type', '=', 'Routing')
        .execute()
    ).filter((h) => h.id !== vm.hostid);
    const target = hosts[0]!;
    const r = await runJob(w, api, 'migrateVirtualMachine', { virtualmachineid: vm.id, hostid: target.id });
    assert.equal(r.jobstatus, 1);
    assert.equal(r.jobresult.virtualmachine.hostid, target.id);
  });

  it('adds a NIC in another network and removes it; the default NIC cannot go', async () => {
    const vm = await deploy(w.zones.advanced);
    const other = await deploy(w.zones.advanced);
    const nics = (await api('listNics', { virtualmachineid: vm.id })).body.nic;
    assert.equal(nics.length, 1);
    assert.equal(
      (await runJob(w, api, 'removeNicFromVirtualMachine', { virtualmachineid: vm.id, nicid: nics[0].id })).jobstatus,
      2,
    );
    assert.equal(
      (await runJob(w, api, 'addNicToVirtualMachine', { virtualmachineid: other.id, networkid: nics[0].networkid }))
        .jobstatus,
      2,
      'already in that network',
    );
  });

  it('answers the exact unknown-id error for a VM that never existed', async () => {
    const r = await api('updateVirtualMachine', { id: '6a4d3f7e-0000-4000-8000-000000000000', displayname: 'x' });
    assert.equal(r.status, 431);
    assert.match(
      r.body.errortext,
      /Invalid parameter id value=6a4d3f7e-0000-4000-8000-000000000000 due to incorrect long value format, or entity does not exist/,
    );
  });
});
