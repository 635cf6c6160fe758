import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

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

/**
 * AccountManagerImpl.buildACLSearchParameters: an admin that names a resource by `id` is not held
 * to its own account (no listall needed), but still only within what it administers; a user only
 * ever sees its own.
 */
describe('list commands: an admin naming an id', () => {
  let w: World;
  let admin: Api;
  let engAdmin: Api;
  let alice: Api;
  let carol: Api;
  /** command -> [list key, alice's resource id, carol's resource id] */
  const named: Record<string, [string, string, string]> = {};
  let projectVm = '';
  let aliceKey = '';

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const eng = (await admin('createDomain', { name: 'eng' })).body.domain.id as string;
    const ops = (await admin('createDomain', { name: 'ops' })).body.domain.id as string;
    for (const [name, dom, type] of [
      ['eng-admin', eng, 2],
      ['alice', eng, 0],
      ['carol', ops, 0],
    ] as const) {
      const r = await admin('createAccount', acct(name, dom, type));
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    engAdmin = await apiSession(w, 'eng-admin', 'pw', '/eng');
    alice = await apiSession(w, 'alice', 'pw', '/eng');
    carol = await apiSession(w, 'carol', 'pw', '/ops');
    const owned = async (api: Api) => {
      const vm = await deploy(w, api, w.zones.basic);
      const vol = (await api('listVolumes', { virtualmachineid: vm.id })).body.volume[0].id as string;
      const sg = (await api('listSecurityGroups', {})).body.securitygroup[0].id as string;
      const grp = (await api('createInstanceGroup', { name: 'g' })).body.instancegroup.id as string;
      return { vm: vm.id as string, vol, sg, grp };
    };
    const a = await owned(alice);
    const c = await owned(carol);
    named['listVirtualMachines'] = ['virtualmachine', a.vm, c.vm];
    named['listVolumes'] = ['volume', a.vol, c.vol];
    named['listSecurityGroups'] = ['securitygroup', a.sg, c.sg];
    named['listInstanceGroups'] = ['instancegroup', a.grp, c.grp];
    aliceKey = (await alice('createSSHKeyPair', { name: 'k' })).body.keypair.id ?? '';
    const project = await runJob(w, alice, 'createProject', { name: 'p', displaytext: 'p' });
    projectVm = (await deploy(w, alice, w.zones.basic, { projectid: project.jobresult.project.id })).id;
  });
  after(() => w.close());

  const ids = async (api: Api, command: string, params: Record<string, string>): Promise<string[]> => {
    const r = await api(command, params);
    assert.equal(r.status, 200, `${command} ${JSON.stringify(r.body)}`);
    return ((r.body[named[command]?.[0] ?? ''] ?? r.body.sshkeypair ?? []) as any[]).map((x) => x.id);
  };

  it("the root admin finds any account's resource by id without listall", async () => {
    for (const [command, [, mine, theirs]] of Object.entries(named)) {
      assert.deepEqual(await ids(admin, command, { id: mine }), [mine], command);
      assert.deepEqual(await ids(admin, command, { id: theirs }), [theirs], command);
      const own = await ids(admin, command, {});
      assert.ok(
        !own.includes(mine) && !own.includes(theirs),
        `${command}: without an id the admin still sees only its own`,
      );
    }
  });

  it("a domain admin finds its subtree's resources by id, never another domain's", async () => {
    for (const [command, [, mine, theirs]] of Object.entries(named)) {
      assert.deepEqual(await ids(engAdmin, command, { id: mine }), [mine], command);
      assert.deepEqual(await ids(engAdmin, command, { id: theirs }), [], command);
    }
  });

  it("a user never finds another account's resource by id", async () => {
    for (const [command, [, mine, theirs]] of Object.entries(named)) {
      assert.deepEqual(await ids(carol, command, { id: mine }), [], command);
      assert.deepEqual(await ids(carol, command, { id: theirs }), [theirs], command);
    }
  });

  it("a project's VM shows by id to the root admin without projectid; a listing without id still skips it", async () => {
    assert.deepEqual(await ids(admin, 'listVirtualMachines', { id: projectVm }), [projectVm]);
    assert.deepEqual(await ids(engAdmin, 'listVirtualMachines', { id: projectVm }), [projectVm]);
    assert.ok(!(await ids(admin, 'listVirtualMachines', { listall: 'true' })).includes(projectVm));
  });

  it('listSSHKeyPairs builds its scope without the id: an admin still needs listall', async () => {
    assert.ok(aliceKey);
    const keys = async (params: Record<string, string>) =>
      ((await admin('listSSHKeyPairs', params)).body.sshkeypair ?? []).map((k: any) => k.name);
    assert.deepEqual(await keys({ id: aliceKey }), []);
    assert.deepEqual(await keys({ id: aliceKey, listall: 'true' }), ['k']);
  });
});
