import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, fingerprint, jobFails, refused } from '../helpers/networking.js';

const acct = (name: string, domainid: string, accounttype = 0) => ({
  account: name,
  username: name,
  password: 'pw',
  email: `${name}@x`,
  firstname: name,
  lastname: 't',
  accounttype,
  domainid,
});

describe('domains: a tree, and domain admins confined to their subtree', () => {
  let w: World;
  let admin: Api;
  let da: Api; // domain admin of ROOT/eng
  const d: Record<string, string> = {};

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const mk = async (name: string, parent?: string) => {
      const r = await admin('createDomain', { name, ...(parent ? { parentdomainid: parent } : {}) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.domain.id as string;
    };
    d['eng'] = await mk('eng');
    d['web'] = await mk('web', d['eng']);
    d['ops'] = await mk('ops');
    for (const [name, dom, type] of [
      ['eng-admin', 'eng', 2],
      ['alice', 'eng', 0],
      ['bob', 'web', 0],
      ['carol', 'ops', 0],
    ] as const) {
      const r = await admin('createAccount', acct(name, d[dom]!, type));
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    da = await apiSession(w, 'eng-admin', 'pw', '/eng');
  });
  after(() => w.close());

  it('lists the tree with ROOT/… paths, levels, parents and haschild', async () => {
    const all = (await admin('listDomains', { listall: true })).body.domain as any[];
    const web = all.find((x) => x.name === 'web');
    assert.deepEqual(
      { path: web.path, level: web.level, parentdomainname: web.parentdomainname, haschild: web.haschild },
      { path: 'ROOT/eng/web', level: 2, parentdomainname: 'eng', haschild: false },
    );
    assert.equal(all.find((x) => x.name === 'eng').haschild, true);
    assert.equal(all.find((x) => x.name === 'ROOT').vmlimit, 'Unlimited');
    assert.equal(
      all.find((x) => x.name === 'eng').vmlimit,
      '40',
      'a domain without its own limit has max.domain.user.vms',
    );
    const children = (await admin('listDomainChildren', { id: d['eng']! })).body.domain.map((x: any) => x.name);
    assert.deepEqual(children, ['web']);
    const tree = (await admin('listDomainChildren', { isrecursive: true })).body.domain.map((x: any) => x.path);
    assert.deepEqual(tree.sort(), ['ROOT/eng', 'ROOT/eng/web', 'ROOT/ops']);
  });

  it('refuses a sibling of the same name with the real text, and renames paths below a renamed domain', async () => {
    await refused(
      w,
      admin,
      'createDomain',
      { name: 'web', parentdomainid: d['eng']! },
      431,
      /^Domain with name \[web\] already exists for the parent with ID \[\d+\]\.$/,
    );
    await refused(
      w,
      admin,
      'updateDomain',
      { id: (await admin('listDomains', { name: 'ROOT' })).body.domain[0].id, name: 'x' },
      431,
      'ROOT domain can not be edited with a new name',
    );
    const r = await admin('createDomain', { name: 'tmp', parentdomainid: d['ops']! });
    const sub = await admin('createDomain', { name: 'leaf', parentdomainid: r.body.domain.id });
    assert.equal(
      (await admin('updateDomain', { id: r.body.domain.id, name: 'renamed' })).body.domain.path,
      'ROOT/ops/renamed',
    );
    assert.equal((await admin('listDomains', { id: sub.body.domain.id })).body.domain[0].path, 'ROOT/ops/renamed/leaf');
  });

  it('a domain admin sees its own domain and those below it, never a sibling', async () => {
    const names = (await da('listDomains', { listall: true })).body.domain.map((x: any) => x.path).sort();
    assert.deepEqual(names, ['ROOT/eng', 'ROOT/eng/web']);
    const accounts = (await da('listAccounts', { listall: true })).body.account.map((x: any) => x.name).sort();
    assert.deepEqual(accounts, ['alice', 'bob', 'eng-admin']);
    await refused(
      w,
      da,
      'listDomains',
      { id: d['ops']! },
      531,
      new RegExp(`does not have permission to operate within domain id=${d['ops']}$`),
    );
    await refused(
      w,
      da,
      'listAccounts',
      { domainid: d['ops']! },
      531,
      /does not have permission to operate within domain/,
    );
    await refused(
      w,
      da,
      'listVirtualMachines',
      { domainid: d['ops']!, listall: true },
      531,
      /does not have permission to operate within domain/,
    );
    await refused(
      w,
      da,
      'createAccount',
      acct('mallory', d['ops']!),
      531,
      /does not have permission to operate within domain/,
    );
    await refused(
      w,
      da,
      'createDomain',
      { name: 'x', parentdomainid: d['ops']! },
      531,
      /does not have permission to operate within domain/,
    );
  });

  it("a domain admin manages the resources of its subdomains and not a sibling's", async () => {
    const vm = await deploy(w, da, w.zones.basic, { account: 'bob', domainid: d['web']! });
    assert.equal(vm.account, 'bob');
    const carol = await apiSession(w, 'carol', 'pw', '/ops');
    const carolVm = await deploy(w, carol, w.zones.basic);
    const seen = (await da('listVirtualMachines', { listall: true })).body.virtualmachine.map((v: any) => v.id);
    assert.ok(seen.includes(vm.id) && !seen.includes(carolVm.id));
    assert.equal(
      (await runJob(w, da, 'stopVirtualMachine', { id: vm.id })).jobstatus,
      1,
      'stops a VM of a subdomain account',
    );
    await refused(
      w,
      da,
      'stopVirtualMachine',
      { id: carolVm.id },
      531,
      /does not have permission to operate with resource/,
    );
    await refused(
      w,
      da,
      'deployVirtualMachine',
      {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
        account: 'carol',
        domainid: d['ops']!,
      },
      531,
      /does not have permission/,
    );
  });

  it('a user calling a domain command gets 432; a domain admin cannot reach ROOT', async () => {
    const alice = await apiSession(w, 'alice', 'pw', '/eng');
    const r = await alice('createDomain', { name: 'nope' });
    assert.equal(r.status, 432);
    assert.equal(
      r.body.errortext,
      "The given command 'createDomain' either does not exist, is not available for user.",
    );
    const root = (await admin('listDomains', { name: 'ROOT' })).body.domain[0].id;
    await refused(
      w,
      da,
      'updateDomain',
      { id: root, networkdomain: 'x.example' },
      531,
      /does not have permission to operate within domain/,
    );
  });

  it('deleteDomain without cleanup is refused while accounts remain, and the domain stays Active', async () => {
    await jobFails(
      w,
      admin,
      'deleteDomain',
      { id: d['web']! },
      530,
      /^Delete failed on domain web \(id: \d+\); Please make sure all users and sub domains have been removed from the domain before deleting$/,
    );
    assert.equal((await admin('listDomains', { id: d['web']! })).body.domain[0].state, 'Active');
    await refused(
      w,
      admin,
      'deleteDomain',
      { id: (await admin('listDomains', { name: 'ROOT' })).body.domain[0].id },
      531,
      "Can't delete ROOT domain",
    );
  });

  it('deleteDomain with cleanup removes the subtree, its accounts and their VMs, and frees the capacity', async () => {
    const before = await fingerprint(w);
    const bobVms = (await admin('listVirtualMachines', { listall: true, account: 'bob', domainid: d['web']! })).body
      .virtualmachine;
    assert.equal(bobVms.length, 1);
    const r = await runJob(w, admin, 'deleteDomain', { id: d['eng']!, cleanup: true });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.deepEqual(r.jobresult, { success: true });
    assert.notEqual(await fingerprint(w), before);
    const paths = (await admin('listDomains', { listall: true })).body.domain.map((x: any) => x.path);
    assert.ok(!paths.some((p: string) => p.startsWith('ROOT/eng')), paths.join());
    const names = (await admin('listAccounts', { listall: true })).body.account.map((x: any) => x.name);
    assert.ok(!names.includes('bob') && !names.includes('eng-admin') && names.includes('carol'));
    const vmIds = ((await admin('listVirtualMachines', { listall: true })).body.virtualmachine ?? []).map(
      (v: any) => v.id,
    );
    assert.ok(!vmIds.includes(bobVms[0].id));
    const hosts = await w.store.db.selectFrom('hosts').select(['cpuUsed']).execute();
    const vms = await w.store.db
      .selectFrom('vms')
      .select(['cpuNumber', 'cpuSpeed', 'hostId'])
      .where('removed', 'is', null)
      .where('hostId', 'is not', null)
      .execute();
    assert.equal(
      hosts.reduce((a, h) => a + Number(h.cpuUsed), 0),
      vms.reduce((a, v) => a + v.cpuNumber * v.cpuSpeed, 0),
      'host usage is what the remaining VMs hold',
    );
    // The name is free again.
    assert.equal((await admin('createDomain', { name: 'eng' })).status, 200);
  });
});
