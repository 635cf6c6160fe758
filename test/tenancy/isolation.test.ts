import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { apiSpec } from '../../src/cloudstack/spec.js';
import { ID_ENTITIES, PARAM_ENTITIES } from '../../src/cloudstack/entities.js';
import { fingerprint as storeFingerprint } from '../helpers/fingerprint.js';
import { cloudStacks530 } from '../helpers/cloudstack-530.js';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';

/** Commands that touch no other account's resource, and why they need no foreign-id check. */
const EXEMPT: Record<string, string> = {
  login: 'authenticator; no resource',
  logout: 'authenticator; no resource',
  listApis: 'lists commands, not resources',
  listCapabilities: 'cloud-wide facts',
  listZones: 'zones are shared by everyone',
  listServiceOfferings: 'public offerings',
  listDiskOfferings: 'public offerings',
  listNetworkOfferings: 'public offerings',
  listOsTypes: 'shared catalogue',
  listHypervisors: 'shared catalogue',
  listAffinityGroupTypes: 'shared catalogue',
  createAccount: 'admin only: a user gets 432 (checked below)',
  createUser: 'admin only: a user gets 432 (checked below)',
  configureSimulator: 'admin only: a user gets 432 (checked below)',
  querySimulatorMock: 'admin only: a user gets 432 (checked below)',
  cleanupSimulatorMock: 'admin only: a user gets 432 (checked below)',
  migrateVirtualMachine: 'admin only: a user gets 432 (checked below)',
};

/** Plausible values for required parameters that do not name the other tenant's resource. */
const FILLERS: Record<string, (w: World) => string> = {
  zoneid: (w) => w.zones.basic,
  serviceofferingid: (w) => w.small,
  templateid: (w) => w.template,
  name: () => 'b-owned',
  protocol: () => 'tcp',
  startport: () => '22',
  endport: () => '22',
  publicport: () => '2222',
  privateport: () => '22',
  resourcetype: () => 'UserVm',
  type: () => 'host anti-affinity',
  templatefilter: () => 'all',
  publickey: () => 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC9 b',
  value: () => 'result:fail',
  userapikey: () => 'x',
  algorithm: () => 'roundrobin',
  cidr: () => '10.30.0.0/16',
  displaytext: () => 'b-owned',
  gateway: () => '10.30.1.1',
  netmask: () => '255.255.255.0',
  url: () => 'http://images.example/b.qcow2',
  format: () => 'QCOW2',
  hypervisor: () => 'Simulator',
  mode: () => 'HTTP_DOWNLOAD',
  ostypeid: () => osTypeId,
  intervaltype: () => 'DAILY',
  schedule: () => '00:01',
  maxsnaps: () => '1',
  timezone: () => 'UTC',
};
let osTypeId = '';

describe('tenant isolation, command by command', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  const mine: Record<string, string> = {};
  let aKeyPair = '';
  let aAccount = '';

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    for (const who of ['tenant-a', 'tenant-b']) {
      const r = await admin('createAccount', {
        account: who,
        username: who,
        password: 'pw',
        email: `${who}@x`,
        firstname: who,
        lastname: 't',
        accounttype: 0,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    a = await apiSession(w, 'tenant-a', 'pw');
    b = await apiSession(w, 'tenant-b', 'pw');
    aAccount = 'tenant-a';
    const sg = (await a('createSecurityGroup', { name: 'a-web' })).body.securitygroup;
    const rule = await runJob(w, a, 'authorizeSecurityGroupIngress', {
      securitygroupid: sg.id,
      protocol: 'tcp',
      startport: 22,
      endport: 22,
      cidrlist: '0.0.0.0/0',
    });
    aKeyPair = (await a('createSSHKeyPair', { name: 'a-key' })).body.keypair.name;
    const basicVm = (
      await runJob(w, a, 'deployVirtualMachine', {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
        securitygroupids: sg.id,
        keypair: aKeyPair,
      })
    ).jobresult.virtualmachine;
    const advVm = (
      await runJob(w, a, 'deployVirtualMachine', {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
        group: 'a-group',
      })
    ).jobresult.virtualmachine;
    const ip = (await runJob(w, a, 'associateIpAddress', { networkid: advVm.nic[0].networkid })).jobresult.ipaddress;
    const pf = await a('createPortForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      publicport: 22,
      privateport: 22,
      virtualmachineid: advVm.id,
    });
    await finish(w, pf.body.jobid);
    await runJob(w, a, 'createTags', {
      resourcetype: 'UserVm',
      resourceids: basicVm.id,
      'tags[0].key': 'owner',
      'tags[0].value': 'a',
    });
    const ag = (await runJob(w, a, 'createAffinityGroup', { name: 'a-spread', type: 'host anti-affinity' })).jobresult
      .affinitygroup;
    const ig = (await a('listInstanceGroups', {})).body.instancegroup[0];
    // Networking objects: a firewall rule and a load balancer on A's address, a VPC with an ACL list and item.
    const fw = await runJob(w, a, 'createFirewallRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      startport: 80,
      endport: 80,
      cidrlist: '0.0.0.0/0',
    });
    const lb = await runJob(w, a, 'createLoadBalancerRule', {
      publicipid: ip.id,
      name: 'a-lb',
      algorithm: 'roundrobin',
      publicport: 8080,
      privateport: 80,
    });
    // A remote access VPN on that address and a VPN user of A.
    const vpn = await runJob(w, a, 'createRemoteAccessVpn', { publicipid: ip.id });
    const vpnUser = await runJob(w, a, 'addVpnUser', { username: 'a-vpn-user', password: 'a-secret' });
    const vpcOffering = (await a('listVPCOfferings', {})).body.vpcoffering[0].id;
    const vpc = await runJob(w, a, 'createVPC', {
      name: 'a-vpc',
      displaytext: 'a-vpc',
      cidr: '10.20.0.0/16',
      zoneid: w.zones.advanced,
      vpcofferingid: vpcOffering,
    });
    const acl = await runJob(w, a, 'createNetworkACLList', { name: 'a-acl', vpcid: vpc.jobresult.vpc.id });
    const aclItem = await runJob(w, a, 'createNetworkACL', {
      aclid: acl.jobresult.networkacllist.id,
      protocol: 'tcp',
      startport: 22,
      endport: 22,
      cidrlist: '0.0.0.0/0',
      action: 'Allow',
    });
    // Storage and images: a snapshot of A's root disk, a VM snapshot, and a private template made from the snapshot.
    osTypeId = (await a('listOsTypes', {})).body.ostype[0].id;
    const root = (await a('listVolumes', { virtualmachineid: basicVm.id })).body.volume[0];
    const snap = (await runJob(w, a, 'createSnapshot', { volumeid: root.id })).jobresult.snapshot;
    const vmSnap = (await runJob(w, a, 'createVMSnapshot', { virtualmachineid: advVm.id })).jobresult.vmsnapshot;
    const policy = (
      await a('createSnapshotPolicy', {
        volumeid: root.id,
        intervaltype: 'DAILY',
        schedule: '00:01',
        maxsnaps: 2,
        timezone: 'UTC',
      })
    ).body.snapshotpolicy;
    const tmpl = (
      await runJob(w, a, 'createTemplate', {
        name: 'a-golden',
        displaytext: 'a-golden',
        ostypeid: osTypeId,
        snapshotid: snap.id,
      })
    ).jobresult.template;
    const users = (await a('listUsers', {})).body.user;
    const project = await runJob(w, a, 'createProject', { name: 'a-project', displaytext: 'A' });
    Object.assign(mine, {
      VirtualMachine: basicVm.id,
      SecurityGroup: sg.id,
      SecurityGroupRule: rule.jobresult.securitygroup.ingressrule[0].ruleid,
      IpAddress: ip.id,
      PortForwardingRule: pf.body.id,
      AffinityGroup: ag.id,
      InstanceGroup: ig.id,
      Network: advVm.nic[0].networkid,
      Nic: basicVm.nic[0].id,
      Volume: (await a('listVolumes', { virtualmachineid: basicVm.id })).body.volume[0].id,
      AsyncJob: pf.body.jobid,
      User: users[0].id,
      Account: (await a('listAccounts', {})).body.account[0].id,
      FirewallRule: fw.jobresult.firewallrule.id,
      LoadBalancerRule: lb.jobresult.loadbalancer.id,
      Vpc: vpc.jobresult.vpc.id,
      NetworkAcl: acl.jobresult.networkacllist.id,
      NetworkAclItem: aclItem.jobresult.networkacl.id,
      Snapshot: snap.id,
      SnapshotPolicy: policy.id,
      VMSnapshot: vmSnap.id,
      Template: tmpl.id,
      Project: project.jobresult.project.id,
      RemoteAccessVpn: vpn.jobresult.remoteaccessvpn.id,
      VpnUser: vpnUser.jobresult.vpnuser.id,
    });
  });
  after(() => w.close());

  /** Everything stored, except what any request may add (jobs, events, sessions). */
  const fingerprint = () => storeFingerprint(w.store);

  const aIds = () => new Set(Object.values(mine));
  const leaks = (body: unknown) => [...aIds()].filter((id) => JSON.stringify(body).includes(id));

  it('every implemented command is either checked or exempt with a reason', () => {
    for (const name of [...COMMANDS.values()].map((d) => d.name)) {
      assert.ok(EXEMPT[name] || apiSpec(name), `${name} has no spec and no exemption`);
    }
  });

  for (const def of [...COMMANDS.values()]) {
    if (EXEMPT[def.name]) continue;
    it(`${def.name}: tenant B cannot see or touch tenant A's resources`, async () => {
      const spec = apiSpec(def.name)!;
      const params: Record<string, string> = {};
      let aimed = false;
      for (const p of spec.params) {
        const n = p.name.toLowerCase();
        const kind = n === 'id' || n === 'ids' ? ID_ENTITIES[def.name] : PARAM_ENTITIES[n];
        if (kind && mine[kind]) {
          params[n] = mine[kind]!;
          aimed = true;
        } else if (n === 'account' && p.type === 'string') {
          params[n] = aAccount;
          aimed = true;
        } else if (p.required && FILLERS[n]) params[n] = FILLERS[n]!(w);
      }
      if (def.name === 'deleteSSHKeyPair' || def.name === 'getUser') aimed = true; // by name/key: B only reaches its own
      if (def.name === 'deleteSSHKeyPair') params['name'] = aKeyPair;
      if (def.name === 'createTags' || def.name === 'deleteTags')
        Object.assign(params, { resourceids: mine['VirtualMachine']!, 'tags[0].key': 'stolen', 'tags[0].value': 'b' });
      const isList = def.name.startsWith('list');
      if (isList) params['listall'] = 'true';
      const before = await fingerprint();
      const r = await b(def.name, params);
      if (r.status === 200 && r.body.jobid) {
        await finish(w, r.body.jobid);
        const job = (await b('queryAsyncJobResult', { jobid: r.body.jobid })).body;
        assert.equal(job.jobstatus, 2, `${def.name} job succeeded for B: ${JSON.stringify(job).slice(0, 300)}`);
      } else if (r.status === 200) {
        // createConsoleEndpoint refuses in its answer (ConsoleAccessManagerImpl: success false, "Permission denied"), not with an error.
        const refusedInBody =
          def.name === 'createConsoleEndpoint' &&
          r.body.consoleendpoint?.success === false &&
          r.body.consoleendpoint?.details === 'Permission denied';
        assert.ok(
          isList || !aimed || refusedInBody,
          `${def.name} answered 200 to B aiming at A's resource: ${JSON.stringify(r.body).slice(0, 300)}`,
        );
        assert.deepEqual(leaks(r.body), [], `${def.name} showed A's ids to B`);
      } else {
        assert.ok(
          [431, 531, 432, 537].includes(r.status) || cloudStacks530(def.name, r),
          `${def.name}: unexpected status ${r.status} ${JSON.stringify(r.body)}`,
        );
      }
      if (!(r.status === 200 && !aimed && !r.body.jobid))
        assert.equal(await fingerprint(), before, `${def.name} changed the database`);
    });
  }

  // The loop above aims every id at once, so deployVirtualMachine is refused for its account and
  // project pair before it reaches any of A's resources; here each of them is aimed at alone.
  for (const [param, kind, status] of [
    ['networkids', 'Network', 531],
    ['securitygroupids', 'SecurityGroup', 531],
    ['affinitygroupids', 'AffinityGroup', 531],
    ['templateid', 'Template', 431],
  ] as const) {
    it(`deployVirtualMachine with only A's ${kind} is refused before any job and writes nothing`, async () => {
      const params = {
        zoneid: kind === 'Network' ? w.zones.advanced : w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
        [param]: mine[kind]!,
      };
      const before = await fingerprint();
      const r = await b('deployVirtualMachine', params);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.jobid, undefined);
      assert.deepEqual(
        leaks(r.body).filter((id) => id !== mine[kind]),
        [],
        'only the id B gave is named',
      );
      assert.equal(await fingerprint(), before);
    });
  }

  it('admin-only commands are 432 for a user', async () => {
    for (const name of [
      'createAccount',
      'createUser',
      'configureSimulator',
      'migrateVirtualMachine',
      'createDomain',
      'updateResourceLimit',
      'createRole',
      'listAlerts',
    ]) {
      const r = await b(name, {});
      assert.equal(r.status, 432, name);
      assert.equal(r.body.errortext, `The given command '${name}' either does not exist, is not available for user.`);
    }
  });

  it('listall: admin sees both tenants, admin without it only itself, a user only itself', async () => {
    const bVm = (
      await runJob(w, b, 'deployVirtualMachine', {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    const all = (await admin('listVirtualMachines', { listall: 'true' })).body.virtualmachine.map(
      (v: any) => v.account,
    );
    assert.ok(all.includes('tenant-a') && all.includes('tenant-b'));
    assert.deepEqual((await admin('listVirtualMachines', {})).body, {});
    const bSees = (await b('listVirtualMachines', { listall: 'true' })).body.virtualmachine.map((v: any) => v.id);
    assert.deepEqual(bSees, [bVm.id]);
    assert.deepEqual(
      (await b('listAccounts', { listall: 'true' })).body.account.map((x: any) => x.name),
      ['tenant-b'],
    );
    assert.deepEqual(
      (await b('listUsers', { listall: 'true' })).body.user.map((x: any) => x.username),
      ['tenant-b'],
    );
    assert.equal((await b('listDomains', {})).body.domain.length, 1);
  });
});
