import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, fingerprint, offering, refused, tenant } from '../helpers/networking.js';

const DEPLOY = (w: World, extra: Record<string, string> = {}) => ({
  zoneid: w.zones.basic,
  serviceofferingid: w.small,
  templateid: w.template,
  ...extra,
});

describe('resource limits and counts', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let acct: any;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    user = await tenant(w, admin, 'limited');
    acct = (await user('listAccounts', {})).body.account[0];
  });
  after(() => w.close());

  const limits = async (api: Api, p: Record<string, string> = {}) =>
    Object.fromEntries(
      (await api('listResourceLimits', p)).body.resourcelimit.map((l: any) => [l.resourcetypename, l]),
    );

  it("listResourceLimits: every type, with CloudStack's numbers and the account defaults", async () => {
    const l = await limits(user);
    assert.deepEqual(Object.keys(l), [
      'user_vm',
      'public_ip',
      'volume',
      'snapshot',
      'template',
      'project',
      'network',
      'vpc',
      'cpu',
      'memory',
      'primary_storage',
      'secondary_storage',
    ]);
    assert.deepEqual(l['user_vm'], {
      account: 'limited',
      domainid: acct.domainid,
      domain: 'ROOT',
      resourcetype: '0',
      resourcetypename: 'user_vm',
      max: 20,
    });
    assert.equal(l['cpu'].max, 40);
    assert.equal(l['primary_storage'].max, 200, 'storage limits in GiB');
    assert.equal(l['project'].max, -1);
    assert.equal((await limits(admin))['user_vm'].max, -1, 'a root admin has none');
  });

  it('a deploy over the account limit fails with 535 and the real text, and leaves nothing behind', async () => {
    const r = await admin('updateResourceLimit', {
      account: 'limited',
      domainid: acct.domainid,
      resourcetype: 0,
      max: 1,
    });
    assert.deepEqual(r.body.resourcelimit, {
      account: 'limited',
      domainid: acct.domainid,
      domain: 'ROOT',
      resourcetype: '0',
      resourcetypename: 'user_vm',
      max: 1,
    });
    await deploy(w, user, w.zones.basic);
    const before = await fingerprint(w);
    const fail = await user('deployVirtualMachine', DEPLOY(w));
    assert.equal(fail.status, 535, JSON.stringify(fail.body));
    assert.equal(fail.body.cserrorcode, 4370);
    assert.equal(
      fail.body.errortext,
      "Maximum amount of resources of Type = 'user_vm' for Account Name = limited in Domain Id = 1 is exceeded: Account Resource Limit = 1, Current Account Resource Amount = 1, Requested Resource Amount = 1.",
    );
    assert.equal(await fingerprint(w), before, 'no VM, volume, NIC or count was written');
    const a = (await user('listAccounts', {})).body.account[0];
    assert.deepEqual(
      [a.vmlimit, a.vmtotal, a.vmavailable, a.volumetotal, a.cputotal, a.memorytotal],
      ['1', 1, '0', 1, 1, 512],
    );
  });

  it('a public address refused by the public_ip limit is not taken, not even in the transaction that is rolled back', async () => {
    // AssociateIPAddrCmd finds the account's network before the limit is checked: it needs one to reach the limit.
    const net = await user('createNetwork', {
      name: 'for-ips',
      displaytext: 'for-ips',
      zoneid: w.zones.advanced,
      networkofferingid: await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService'),
    });
    assert.equal(net.status, 200, JSON.stringify(net.body));
    await admin('updateResourceLimit', { account: 'limited', domainid: acct.domainid, resourcetype: 1, max: 0 });
    const caller = (await w.s.accounts.byApiKey(
      (await user('registerUserKeys', { id: acct.user[0].id })).body.userkeys.apikey,
    ))!.caller;
    const writes = () => w.store.writesByTable().get('publicIps') ?? 0;
    const before = writes();
    await assert.rejects(
      w.s.networks.submitAssociate(
        caller,
        { zoneId: w.zones.advanced },
        'org.apache.cloudstack.api.command.user.address.AssociateIPAddrCmd',
      ),
      /Maximum amount of resources of Type = 'public_ip'/,
    );
    assert.equal(writes(), before, 'no address was claimed first');
    await admin('updateResourceLimit', { account: 'limited', domainid: acct.domainid, resourcetype: 1 });
    assert.equal((await user('deleteNetwork', { id: net.body.network.id })).status, 200);
  });

  it('storage limits are checked in bytes and printed as CloudStack prints sizes', async () => {
    await admin('updateResourceLimit', { account: 'limited', domainid: acct.domainid, resourcetype: 0, max: -1 });
    await admin('updateResourceLimit', { account: 'limited', domainid: acct.domainid, resourcetype: 10, max: 0 });
    const fail = await user('deployVirtualMachine', DEPLOY(w));
    assert.equal(fail.status, 535);
    assert.match(
      fail.body.errortext,
      /^Maximum amount of resources of Type = 'primary_storage' for Account Name = limited in Domain Id = 1 is exceeded: Account Resource Limit = 0 \(0 bytes\), Current Account Resource Amount = \d+ \(\d+\.\d\d GB\), Requested Resource Amount = \d+ \(\d+\.\d\d GB\)\.$/,
    );
    await admin('updateResourceLimit', { account: 'limited', domainid: acct.domainid, resourcetype: 10 });
    assert.equal((await limits(user, { resourcetype: '10' }))['primary_storage'].max, -1, 'no max means unlimited');
  });

  it('a domain limit binds every account below it', async () => {
    const dom = (await admin('createDomain', { name: 'capped' })).body.domain;
    const sub = (await admin('createDomain', { name: 'inner', parentdomainid: dom.id })).body.domain;
    await admin('updateResourceLimit', { domainid: dom.id, resourcetype: 0, max: 1 });
    for (const [n, d] of [
      ['d1', dom.id],
      ['d2', sub.id],
    ])
      await admin('createAccount', {
        account: n,
        username: n,
        password: 'pw',
        email: 'x@x',
        firstname: n,
        lastname: 'x',
        accounttype: 0,
        domainid: d,
      });
    const d1 = await apiSession(w, 'd1', 'pw', '/capped');
    const d2 = await apiSession(w, 'd2', 'pw', '/capped/inner');
    await deploy(w, d1, w.zones.basic);
    const fail = await d2('deployVirtualMachine', DEPLOY(w));
    assert.equal(fail.status, 535);
    assert.equal(
      fail.body.errortext,
      `Maximum domain resource limits of Type 'user_vm' for Domain Id = ${await domainSeq(w, dom.id)} is exceeded: Domain Resource Limit = 1 (1 bytes), Current Domain Resource Amount = 1 (1 bytes), Requested Resource Amount = 1 (1 bytes).`,
    );
    const shown = (await admin('listDomains', { id: dom.id })).body.domain[0];
    assert.deepEqual([shown.vmlimit, shown.vmtotal, shown.vmavailable], ['1', 1, '0']);
    await refused(
      w,
      admin,
      'updateResourceLimit',
      { domainid: sub.id, resourcetype: 0, max: 5 },
      431,
      `Domain inner(id: ${await domainSeq(w, dom.id)}) has maximum allowed resource limit 1 for user_vm, please specify a value less that or equal to 1`,
    );
    const root = (await admin('listDomains', { name: 'ROOT' })).body.domain[0].id;
    await refused(
      w,
      admin,
      'updateResourceLimit',
      { domainid: root, resourcetype: 0, max: 5 },
      531,
      `Cannot update resource limit for ROOT domain ${root}, permission denied`,
    );
    await refused(
      w,
      admin,
      'updateResourceLimit',
      { account: 'admin', domainid: root, resourcetype: 0, max: 5 },
      431,
      'Only -1 limit is supported for Root Admin accounts',
    );
    await refused(
      w,
      admin,
      'updateResourceLimit',
      { resourcetype: 0, max: 5 },
      431,
      'AccountId or domainId have to be specified in order to update resource limit',
    );
    await refused(
      w,
      admin,
      'updateResourceLimit',
      { domainid: dom.id, resourcetype: 99 },
      431,
      'Please specify valid resource type',
    );
  });

  it('accounts without their own limit follow max.account.*; -1 lifts it', async () => {
    const fresh = await tenant(w, admin, 'defaults');
    assert.equal((await admin('updateConfiguration', { name: 'max.account.user.vms', value: '1' })).status, 200);
    await deploy(w, fresh, w.zones.basic);
    assert.equal((await fresh('deployVirtualMachine', DEPLOY(w))).status, 535);
    assert.equal((await admin('updateConfiguration', { name: 'max.account.user.vms', value: '-1' })).status, 200);
    assert.equal((await limits(fresh))['user_vm'].max, -1);
    await deploy(w, fresh, w.zones.basic);
    await admin('updateConfiguration', { name: 'max.account.user.vms', value: '20' });
  });

  it('volumes, resizes and snapshots count in their own transactions; the volume limit binds createVolume', async () => {
    const store = await tenant(w, admin, 'storage');
    const custom = (await store('listDiskOfferings', {})).body.diskoffering.find((o: any) => o.iscustomized).id;
    const totals = async () => {
      const a = (await store('listAccounts', {})).body.account[0];
      return { volumes: a.volumetotal, gib: a.primarystoragetotal, snapshots: a.snapshottotal };
    };
    const v = (await runJob(w, store, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 3 }))
      .jobresult.volume;
    assert.deepEqual(await totals(), { volumes: 1, gib: 3, snapshots: 0 });
    await runJob(w, store, 'resizeVolume', { id: v.id, size: 5 });
    assert.deepEqual(await totals(), { volumes: 1, gib: 5, snapshots: 0 });
    const vm = await deploy(w, store, w.zones.advanced);
    await runJob(w, store, 'attachVolume', { id: v.id, virtualmachineid: vm.id });
    const snap = (await runJob(w, store, 'createSnapshot', { volumeid: v.id })).jobresult.snapshot;
    assert.equal((await totals()).snapshots, 1);
    await runJob(w, store, 'deleteSnapshot', { id: snap.id });
    assert.equal((await totals()).snapshots, 0);
    const domainid = (await store('listAccounts', {})).body.account[0].domainid;
    await admin('updateResourceLimit', { account: 'storage', domainid, resourcetype: 2, max: 2 });
    const fail = await store('createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 1 });
    assert.equal(fail.status, 535);
    assert.match(
      fail.body.errortext,
      /^Maximum amount of resources of Type = 'volume' for Account Name = storage in Domain Id = 1 is exceeded: Account Resource Limit = 2, Current Account Resource Amount = 2,/,
    );
    await runJob(w, store, 'detachVolume', { id: v.id });
    assert.deepEqual((await store('deleteVolume', { id: v.id })).body, { success: true });
    const now = await totals();
    const recount = Object.fromEntries(
      (await admin('updateResourceCount', { account: 'storage', domainid })).body.resourcecount.map((c: any) => [
        c.resourcetypename,
        c.resourcecount,
      ]),
    );
    assert.deepEqual(
      [recount['volume'], recount['snapshot']],
      [now.volumes, now.snapshots],
      'stored counts equal recounted ones',
    );
    assert.equal(now.volumes, 1, "the VM's root disk is left");
  });

  it('a project over its limit fails naming the project', async () => {
    const { job } = await created(w, user, 'createProject', { name: 'tiny', displaytext: 'tiny' });
    const project = job.jobresult.project;
    await admin('updateResourceLimit', { projectid: project.id, resourcetype: 0, max: 0 });
    const fail = await user('deployVirtualMachine', DEPLOY(w, { projectid: project.id }));
    assert.equal(fail.status, 535);
    assert.match(
      fail.body.errortext,
      /^Maximum amount of resources of Type = 'user_vm' for Project Name = tiny in Domain Id = 1 is exceeded: Account Resource Limit = 0,/,
    );
    assert.equal((await limits(admin, { projectid: project.id }))['user_vm'].project, 'tiny');
  });

  it('counts follow the resources through destroy, recover and expunge; updateResourceCount agrees with them', async () => {
    const vm = (await user('listVirtualMachines', {})).body.virtualmachine[0];
    const totals = async () => {
      const a = (await user('listAccounts', {})).body.account[0];
      return [a.vmtotal, a.cputotal, a.memorytotal, a.volumetotal, a.primarystoragetotal];
    };
    const running = await totals();
    await runJob(w, user, 'destroyVirtualMachine', { id: vm.id });
    assert.deepEqual(
      (await totals()).slice(0, 4),
      [running[0] - 1, running[1] - 1, running[2] - 512, running[3]],
      'a destroyed VM keeps its volume until expunged',
    );
    assert.equal((await admin('recoverVirtualMachine', { id: vm.id })).status, 200);
    assert.deepEqual(await totals(), running);
    const r = await admin('destroyVirtualMachine', { id: vm.id, expunge: true });
    await finish(w, r.body.jobid);
    const after = await totals();
    const recount = (await admin('updateResourceCount', { account: 'limited', domainid: acct.domainid })).body
      .resourcecount;
    const byName = Object.fromEntries(recount.map((c: any) => [c.resourcetypename, c.resourcecount]));
    assert.equal(recount.length, 12);
    assert.deepEqual(
      [byName['user_vm'], byName['cpu'], byName['memory'], byName['volume']],
      after.slice(0, 4),
      'stored counts equal recounted ones',
    );
    assert.equal(byName['project'], 1);
    const domain = (await admin('updateResourceCount', { domainid: acct.domainid, resourcetype: 0 })).body
      .resourcecount;
    assert.deepEqual(
      domain.map((c: any) => [c.resourcetypename, c.domain, c.account]),
      [['user_vm', 'ROOT', undefined]],
    );
  });
});

async function domainSeq(w: World, id: string): Promise<number> {
  return Number(
    (await w.store.db.selectFrom('domains').select('seq').where('id', '=', id).executeTakeFirstOrThrow()).seq,
  );
}
