// The class guard for "a caller sees another domain's resources": every list command, as a domain
// admin of D1 and as a plain user of D1, with every widening parameter, shows nothing of sibling D2.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { apiSpec } from '../../src/cloudstack/spec.js';
import { ID_ENTITIES, PARAM_ENTITIES } from '../../src/cloudstack/entities.js';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';

/** Values for required parameters that name nothing of D2. */
const FILLERS: Record<string, (w: World) => string> = {
  zoneid: (w) => w.zones.basic,
  templatefilter: () => 'all',
  isofilter: () => 'all',
  resourcetype: () => 'UserVm',
};

type Params = Record<string, string>;

describe('sibling domains: no list command shows D2 to D1', () => {
  let w: World;
  let root: Api;
  const callers: Record<string, Api> = {};
  /** Every id D2 owns, by the kind of entity it is. */
  const theirs: Record<string, string> = {};
  /** Names and URLs only D2's resources carry. */
  const marks: string[] = [];

  before(async () => {
    w = await world({ delayMs: 0 });
    root = await apiSession(w);
    const domain = async (name: string) => (await root('createDomain', { name })).body.domain.id as string;
    const d1 = await domain('d1');
    const d2 = await domain('d2');
    const account = async (name: string, domainid: string, accounttype: number) => {
      const r = await root('createAccount', {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: 't',
        accounttype,
        domainid,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.account;
    };
    await account('d1admin', d1, 2);
    await account('d1user', d1, 0);
    const sibAdmin = await account('sibadmin', d2, 2);
    const sib = await account('sibuser', d2, 0);
    callers['domain admin'] = await apiSession(w, 'd1admin', 'pw', 'd1');
    callers['user'] = await apiSession(w, 'd1user', 'pw', 'd1');
    const s = await apiSession(w, 'sibuser', 'pw', 'd2');

    // D2's private resources, one of each kind a list command can show.
    const sg = (await s('createSecurityGroup', { name: 'sib-web' })).body.securitygroup;
    const rule = await runJob(w, s, 'authorizeSecurityGroupIngress', {
      securitygroupid: sg.id,
      protocol: 'tcp',
      startport: 22,
      endport: 22,
      cidrlist: '0.0.0.0/0',
    });
    const key = (await s('createSSHKeyPair', { name: 'sib-key' })).body.keypair;
    const basicVm = (
      await runJob(w, s, 'deployVirtualMachine', {
        zoneid: w.zones.basic,
        serviceofferingid: w.small,
        templateid: w.template,
        securitygroupids: sg.id,
        keypair: key.name,
        name: 'sib-vm1',
      })
    ).jobresult.virtualmachine;
    const advVm = (
      await runJob(w, s, 'deployVirtualMachine', {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
        group: 'sib-group',
        name: 'sib-vm2',
      })
    ).jobresult.virtualmachine;
    const ip = (await runJob(w, s, 'associateIpAddress', { networkid: advVm.nic[0].networkid })).jobresult.ipaddress;
    const pf = await s('createPortForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      publicport: 22,
      privateport: 22,
      virtualmachineid: advVm.id,
    });
    await finish(w, pf.body.jobid);
    await runJob(w, s, 'createTags', {
      resourcetype: 'UserVm',
      resourceids: basicVm.id,
      'tags[0].key': 'sib-tag',
      'tags[0].value': 'sib-value',
    });
    const ag = (await runJob(w, s, 'createAffinityGroup', { name: 'sib-spread', type: 'host anti-affinity' })).jobresult
      .affinitygroup;
    const ig = (await s('listInstanceGroups', {})).body.instancegroup[0];
    const fw = await runJob(w, s, 'createFirewallRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      startport: 80,
      endport: 80,
      cidrlist: '0.0.0.0/0',
    });
    const lb = await runJob(w, s, 'createLoadBalancerRule', {
      publicipid: ip.id,
      name: 'sib-lb',
      algorithm: 'roundrobin',
      publicport: 8080,
      privateport: 80,
    });
    const vpcOffering = (await s('listVPCOfferings', {})).body.vpcoffering[0].id;
    const vpc = await runJob(w, s, 'createVPC', {
      name: 'sib-vpc',
      displaytext: 'sib-vpc',
      cidr: '10.20.0.0/16',
      zoneid: w.zones.advanced,
      vpcofferingid: vpcOffering,
    });
    const acl = await runJob(w, s, 'createNetworkACLList', {
      name: 'sib-acl',
      description: 'sib-acl',
      vpcid: vpc.jobresult.vpc.id,
    });
    const aclItem = await runJob(w, s, 'createNetworkACL', {
      aclid: acl.jobresult.networkacllist.id,
      protocol: 'tcp',
      startport: 22,
      endport: 22,
      cidrlist: '0.0.0.0/0',
      action: 'Allow',
    });
    const osTypeId = (await s('listOsTypes', {})).body.ostype[0].id;
    const rootVol = (await s('listVolumes', { virtualmachineid: basicVm.id })).body.volume[0];
    const snap = (await runJob(w, s, 'createSnapshot', { volumeid: rootVol.id, name: 'sib-snap' })).jobresult.snapshot;
    const vmSnap = (await runJob(w, s, 'createVMSnapshot', { virtualmachineid: advVm.id, name: 'sib-vmsnap' }))
      .jobresult.vmsnapshot;
    const tmpl = (
      await runJob(w, s, 'createTemplate', {
        name: 'sib-golden',
        displaytext: 'sib-golden',
        ostypeid: osTypeId,
        snapshotid: snap.id,
      })
    ).jobresult.template;
    const registered = (
      await s('registerTemplate', {
        name: 'sib-registered',
        displaytext: 'sib-registered',
        url: 'http://images.example/sib-private.qcow2',
        format: 'QCOW2',
        hypervisor: 'Simulator',
        ostypeid: osTypeId,
        zoneid: w.zones.basic,
      })
    ).body.template[0];
    const iso = (
      await s('registerIso', {
        name: 'sib-iso',
        displaytext: 'sib-iso',
        url: 'http://images.example/sib-private.iso',
        ostypeid: osTypeId,
        zoneid: w.zones.basic,
      })
    ).body.iso[0];
    const dataVol = (
      await runJob(w, s, 'createVolume', {
        name: 'sib-data',
        zoneid: w.zones.basic,
        diskofferingid: (await s('listDiskOfferings', {})).body.diskoffering[0].id,
      })
    ).jobresult.volume;
    const project = await runJob(w, s, 'createProject', { name: 'sib-project', displaytext: 'sib-project' });
    const users = (await s('listUsers', {})).body.user;
    Object.assign(theirs, {
      Domain: d2,
      Account: sib.id,
      SiblingAdmin: sibAdmin.id,
      User: users[0].id,
      VirtualMachine: basicVm.id,
      OtherVm: advVm.id,
      SecurityGroup: sg.id,
      SecurityGroupRule: rule.jobresult.securitygroup.ingressrule[0].ruleid,
      IpAddress: ip.id,
      PortForwardingRule: pf.body.id,
      AsyncJob: pf.body.jobid,
      AffinityGroup: ag.id,
      InstanceGroup: ig.id,
      Network: advVm.nic[0].networkid,
      Nic: basicVm.nic[0].id,
      Volume: rootVol.id,
      DataVolume: dataVol.id,
      FirewallRule: fw.jobresult.firewallrule.id,
      LoadBalancerRule: lb.jobresult.loadbalancer.id,
      Vpc: vpc.jobresult.vpc.id,
      NetworkAcl: acl.jobresult.networkacllist.id,
      NetworkAclItem: aclItem.jobresult.networkacl.id,
      Snapshot: snap.id,
      VMSnapshot: vmSnap.id,
      Template: tmpl.id,
      Registered: registered.id,
      Iso: iso.id,
      Project: project.jobresult.project.id,
    });
    marks.push('sib-', 'sibuser', 'sibadmin', 'images.example/sib-private', key.fingerprint);
  });
  after(() => w.close());

  const leaks = (body: unknown): string[] => {
    const text = JSON.stringify(body);
    return [
      ...Object.entries(theirs)
        .filter(([, id]) => text.includes(id))
        .map(([k]) => k),
      ...marks.filter((m) => text.includes(m)),
    ];
  };

  /** The ways a list command can be asked for more than the caller's own: each is tried alone. */
  function variants(name: string): Params[] {
    const spec = apiSpec(name)!;
    const has = (p: string) => spec.params.some((x) => x.name.toLowerCase() === p);
    const base: Params = {};
    for (const p of spec.params)
      if (p.required && FILLERS[p.name.toLowerCase()]) base[p.name.toLowerCase()] = FILLERS[p.name.toLowerCase()]!(w);
    const out: Params[] = [{ ...base }];
    if (has('listall')) out.push({ ...base, listall: 'true' });
    if (has('templatefilter'))
      for (const f of [
        'all',
        'self',
        'selfexecutable',
        'shared',
        'sharedexecutable',
        'executable',
        'featured',
        'community',
      ])
        out.push({ ...base, listall: 'true', templatefilter: f });
    if (has('isofilter'))
      for (const f of [
        'all',
        'self',
        'selfexecutable',
        'shared',
        'sharedexecutable',
        'executable',
        'featured',
        'community',
      ])
        out.push({ ...base, listall: 'true', isofilter: f });
    if (has('domainid')) {
      out.push(
        { ...base, domainid: theirs['Domain']! },
        { ...base, domainid: theirs['Domain']!, listall: 'true', isrecursive: 'true' },
      );
      if (has('account')) out.push({ ...base, domainid: theirs['Domain']!, account: 'sibuser' });
    }
    if (has('account')) out.push({ ...base, account: 'sibuser' });
    if (has('projectid'))
      out.push({ ...base, listall: 'true', projectid: '-1' }, { ...base, projectid: theirs['Project']! });
    if (has('isrecursive')) out.push({ ...base, listall: 'true', isrecursive: 'true' });
    // Every parameter that names an entity, aimed at D2's.
    const aimed: Params = { ...base };
    for (const p of spec.params) {
      const n = p.name.toLowerCase();
      const kind = n === 'id' || n === 'ids' ? ID_ENTITIES[name] : PARAM_ENTITIES[n];
      if (kind && theirs[kind]) aimed[n] = theirs[kind]!;
    }
    if (name === 'listTemplates' || name === 'listIsos')
      aimed['id'] = theirs[name === 'listIsos' ? 'Iso' : 'Registered']!;
    if (Object.keys(aimed).length > Object.keys(base).length) out.push(aimed, { ...aimed, listall: 'true' });
    return out;
  }

  const lists = [...COMMANDS.values()].map((d) => d.name).filter((n) => n.startsWith('list') && apiSpec(n));

  it('covers every list command polystack implements', () => {
    assert.ok(lists.length > 40, `${lists.length} list commands`);
    for (const n of [
      'listTemplates',
      'listIsos',
      'listVirtualMachines',
      'listVolumes',
      'listNetworks',
      'listAccounts',
      'listDomains',
      'listProjects',
      'listSnapshots',
      'listEvents',
    ]) {
      assert.ok(lists.includes(n), n);
    }
  });

  it('D2 does see its own resources (the marks are real)', async () => {
    const s = await apiSession(w, 'sibuser', 'pw', 'd2');
    const r = await s('listTemplates', { templatefilter: 'self' });
    assert.deepEqual(
      leaks(r.body)
        .filter((k) => k === 'Template' || k === 'Registered')
        .sort(),
      ['Registered', 'Template'],
    );
    assert.ok(
      leaks((await root('listTemplates', { templatefilter: 'all' })).body).includes('Registered'),
      'a root admin sees every template',
    );
  });

  for (const who of ['domain admin', 'user']) {
    for (const name of lists) {
      it(`${name} as a ${who} of D1`, async () => {
        const api = callers[who]!;
        for (const params of variants(name)) {
          const r = await api(name, params);
          if (r.body?.jobid) await finish(w, r.body.jobid);
          if (r.status === 200)
            assert.deepEqual(
              leaks(r.body),
              [],
              `${name} ${JSON.stringify(params)} showed D2's resources: ${JSON.stringify(r.body).slice(0, 400)}`,
            );
          else
            assert.ok(
              [431, 432, 530, 531, 537].includes(r.status),
              `${name} ${JSON.stringify(params)}: status ${r.status} ${JSON.stringify(r.body)}`,
            );
        }
      });
    }
  }
});
