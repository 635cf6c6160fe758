import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, jobFails, refused, tenant } from '../helpers/networking.js';

describe('projects own resources; members see them, others do not', () => {
  let w: World;
  let admin: Api;
  let owner: Api;
  let member: Api;
  let outsider: Api;
  let project: any;
  let vm: any;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await (await import('../helpers/inprocess.js')).apiSession(w);
    owner = await tenant(w, admin, 'p-owner');
    member = await tenant(w, admin, 'p-member');
    outsider = await tenant(w, admin, 'p-outsider');
  });
  after(() => w.close());

  it('createProject answers {id, jobid}; the job makes it Active with its creator as owner', async () => {
    const { id, job } = await created(w, owner, 'createProject', { name: 'apollo', displaytext: 'Apollo' });
    project = job.jobresult.project;
    assert.equal(project.id, id);
    assert.deepEqual(
      [project.name, project.displaytext, project.state, project.owner],
      ['apollo', 'Apollo', 'Active', [{ account: 'p-owner' }]],
    );
    assert.match(project.projectaccountname, /^PrjAcct-apollo-\d+$/);
    assert.equal(project.vmlimit, '20', 'max.project.user.vms');
    assert.equal((await owner('listProjects', {})).body.project[0].id, id);
    assert.deepEqual((await outsider('listProjects', {})).body, {});
    await refused(
      w,
      owner,
      'createProject',
      { name: 'apollo', displaytext: 'again' },
      431,
      /^Project with name apollo already exists in domain id=\d+$/,
    );
    const counted = (await owner('listAccounts', {})).body.account[0];
    assert.equal(counted.projecttotal, 1, 'an account counts the projects it owns');
  });

  it('members are added by the owner; listProjectAccounts shows them with their roles', async () => {
    assert.equal(
      (await runJob(w, owner, 'addAccountToProject', { projectid: project.id, account: 'p-member' })).jobstatus,
      1,
    );
    const members = (await member('listProjectAccounts', { projectid: project.id })).body.projectaccount;
    assert.deepEqual(
      members.map((m: any) => [m.account, m.role]),
      [
        ['p-owner', 'Admin'],
        ['p-member', 'Regular'],
      ],
    );
    assert.equal(members[0].projectid, project.id);
    // ProjectRoleBasedApiAccessChecker stops an account outside the project before the command runs.
    await refused(
      w,
      outsider,
      'listProjectAccounts',
      { projectid: project.id },
      432,
      `The API [listProjectAccounts] does not exist or is not available for this account/user in project [${project.id}].`,
    );
    await jobFails(
      w,
      member,
      'addAccountToProject',
      { projectid: project.id, account: 'p-outsider' },
      531,
      new RegExp(`can't modify project id=${project.id}$`),
    );
  });

  it("a member deploys into the project; the VM is the project's and shows the project, not an account", async () => {
    vm = await deploy(w, member, w.zones.basic, { projectid: project.id });
    assert.equal(vm.projectid, project.id);
    assert.equal(vm.project, 'apollo');
    assert.equal(vm.account, undefined);
    await refused(
      w,
      outsider,
      'deployVirtualMachine',
      { zoneid: w.zones.basic, serviceofferingid: w.small, templateid: w.template, projectid: project.id },
      432,
      /is not available for this account\/user in project/,
    );
  });

  it('a member creates volumes, templates, key pairs, security and affinity groups in the project with projectid', async () => {
    const p = { projectid: project.id };
    const custom = (await member('listDiskOfferings', { name: 'Custom' })).body.diskoffering[0].id;
    const vol = (
      await runJob(w, member, 'createVolume', {
        ...p,
        name: 'p-data',
        zoneid: w.zones.basic,
        diskofferingid: custom,
        size: 1,
      })
    ).jobresult.volume;
    const key = (await member('createSSHKeyPair', { ...p, name: 'p-key' })).body.keypair;
    const sg = (await member('createSecurityGroup', { ...p, name: 'p-web' })).body.securitygroup;
    const ag = (await runJob(w, member, 'createAffinityGroup', { ...p, name: 'p-spread', type: 'host anti-affinity' }))
      .jobresult.affinitygroup;
    const root = (await member('listVolumes', { ...p, virtualmachineid: vm.id })).body.volume[0];
    const snap = (await runJob(w, member, 'createSnapshot', { ...p, volumeid: root.id })).jobresult.snapshot;
    const osTypeId = (await member('listOsTypes', {})).body.ostype[0].id;
    const tmpl = (
      await runJob(w, member, 'createTemplate', {
        ...p,
        name: 'p-golden',
        displaytext: 'golden',
        ostypeid: osTypeId,
        snapshotid: snap.id,
      })
    ).jobresult.template;
    for (const [what, o] of [
      ['volume', vol],
      ['key pair', key],
      ['security group', sg],
      ['affinity group', ag],
      ['template', tmpl],
    ] as const)
      assert.deepEqual(
        [o.projectid, o.project, o.account],
        [project.id, 'apollo', undefined],
        `the ${what} is the project's`,
      );
    assert.deepEqual((await member('listVolumes', { name: 'p-data' })).body.volume ?? [], [], "not the member's own");
    assert.equal(
      (await owner('listVolumes', { ...p, name: 'p-data' })).body.volume[0].id,
      vol.id,
      'the owner sees it in the project',
    );
    assert.equal(
      (await owner('listSSHKeyPairs', { ...p, name: 'p-key' })).body.sshkeypair[0].fingerprint,
      key.fingerprint,
    );
    await refused(
      w,
      outsider,
      'createVolume',
      { ...p, name: 'x', zoneid: w.zones.basic, diskofferingid: custom, size: 1 },
      432,
      /is not available for this account\/user in project/,
    );
    assert.equal((await member('deleteVolume', { id: vol.id })).status, 200);
    assert.equal((await member('deleteSSHKeyPair', { ...p, name: 'p-key' })).status, 200);
    assert.equal((await member('deleteSecurityGroup', { ...p, name: 'p-web' })).status, 200);
    await runJob(w, member, 'deleteTemplate', { id: tmpl.id });
    await runJob(w, member, 'deleteSnapshot', { id: snap.id });
    await runJob(w, member, 'deleteAffinityGroup', { ...p, name: 'p-spread' });
  });

  it("listVirtualMachines: projectid for members, -1 for all of one's projects; never without projectid; a non-member is refused", async () => {
    const ids = async (api: Api, p: Record<string, string | boolean>) =>
      ((await api('listVirtualMachines', p)).body.virtualmachine ?? []).map((v: any) => v.id);
    assert.deepEqual(await ids(member, { projectid: project.id }), [vm.id]);
    assert.deepEqual(await ids(owner, { projectid: '-1' }), [vm.id]);
    assert.deepEqual(await ids(member, {}), [], "project resources are not the account's own");
    assert.deepEqual(await ids(owner, { listall: true }), []);
    assert.deepEqual(await ids(outsider, { projectid: '-1' }), []);
    assert.ok(!(await ids(admin, { listall: true })).includes(vm.id), 'listall leaves projects out');
    assert.deepEqual(await ids(admin, { projectid: project.id }), [vm.id], 'admins reach every project');
    await refused(
      w,
      outsider,
      'listVirtualMachines',
      { projectid: project.id },
      432,
      `The API [listVirtualMachines] does not exist or is not available for this account/user in project [${project.id}].`,
    );
    await refused(
      w,
      outsider,
      'stopVirtualMachine',
      { id: vm.id },
      531,
      /does not have permission to operate with resource/,
    );
    assert.equal(
      (await runJob(w, member, 'stopVirtualMachine', { id: vm.id })).jobstatus,
      1,
      "a member operates the project's VMs",
    );
    const events = (await member('listEvents', { projectid: project.id, type: 'VM.CREATE' })).body.event;
    assert.equal(events[0].project, 'apollo');
  });

  it('suspend disables the project: no new resources; activate brings it back', async () => {
    await runJob(w, member, 'startVirtualMachine', { id: vm.id });
    const s = await runJob(w, owner, 'suspendProject', { id: project.id });
    assert.equal(s.jobresult.project.state, 'Suspended');
    assert.equal(
      (await owner('listVirtualMachines', { projectid: project.id })).body.virtualmachine[0].state,
      'Stopped',
      'suspending stops the VMs',
    );
    await refused(
      w,
      member,
      'deployVirtualMachine',
      { zoneid: w.zones.basic, serviceofferingid: w.small, templateid: w.template, projectid: project.id },
      531,
      `Can't add resources to the project id=${project.id} in state=Suspended as it's no longer active`,
    );
    // UserVmManagerImpl.startVirtualMachine: the project's account is disabled, so its VMs do not start.
    await jobFails(w, member, 'startVirtualMachine', { id: vm.id }, 531, /is disabled/);
    assert.equal((await runJob(w, owner, 'activateProject', { id: project.id })).jobresult.project.state, 'Active');
  });

  it("a project's owner account cannot be deleted while the project exists", async () => {
    const ownerId = (await owner('listAccounts', {})).body.account[0].id;
    const seq = (
      await w.store.db.selectFrom('projects').select('seq').where('id', '=', project.id).executeTakeFirstOrThrow()
    ).seq;
    await refused(
      w,
      admin,
      'deleteAccount',
      { id: ownerId },
      431,
      `The account id=${ownerId} manages project(s) with ids ${seq}, and can't be removed`,
    );
  });

  it('the owner cannot leave; ownership moves to a member with updateProject', async () => {
    await jobFails(
      w,
      owner,
      'deleteAccountFromProject',
      { projectid: project.id, account: 'p-owner' },
      431,
      'Unable to delete account p-owner from the project with specified id as the account is the owner of the project',
    );
    const u = await runJob(w, owner, 'updateProject', { id: project.id, account: 'p-member', displaytext: 'Apollo 2' });
    assert.deepEqual(
      [u.jobresult.project.owner, u.jobresult.project.displaytext],
      [[{ account: 'p-member' }], 'Apollo 2'],
    );
    assert.equal(
      (await runJob(w, member, 'deleteAccountFromProject', { projectid: project.id, account: 'p-owner' })).jobstatus,
      1,
    );
    assert.equal((await owner('listAccounts', {})).body.account[0].projecttotal, 0);
  });

  it('deleteProject refuses while resources remain unless cleanup, which removes them', async () => {
    await jobFails(
      w,
      member,
      'deleteProject',
      { id: project.id },
      530,
      "Can't delete the project yet because it has 1 VirtualMachine to clean up",
    );
    const r = await runJob(w, member, 'deleteProject', { id: project.id, cleanup: true });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.deepEqual((await admin('listProjects', { listall: true })).body, {});
    assert.deepEqual((await admin('listVirtualMachines', { projectid: '-1' })).body, {});
    assert.equal((await member('listAccounts', {})).body.account[0].projecttotal, 0);
  });
});
