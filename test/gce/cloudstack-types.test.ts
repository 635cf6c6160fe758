import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalPort } from '../../src/bridge/local.js';
import type { CsParams } from '../../src/bridge/port.js';
import type {
  CsAccount, CsAclItem, CsAclList, CsDiskOffering, CsHypervisor, CsJob, CsNetwork, CsNetworkOffering, CsNic, CsOsType, CsProject, CsPublicIp, CsRegion,
  CsSecurityGroup, CsSecurityGroupRule, CsServiceOffering, CsSnapshot, CsSshKeyPair, CsTag, CsTemplate, CsUser, CsVm, CsVolume, CsVpc, CsVpcOffering, CsZone,
} from '../../src/gce/cloudstack.types.js';
import { gceWorld, instanceBody, ZONE, type GceWorld } from './inprocess.js';

/**
 * src/gce/cloudstack.types.ts says which fields of CloudStack's answers the GCE front reads. Each
 * type's field list below is checked against the type by tsc (a field added, renamed or made
 * optional there fails the type-check here), and against what the CloudStack views really render
 * after the front has made one of everything (a field renamed in a view fails here): a required
 * field must be in every object, an optional one in at least one.
 */
type Presence<T> = { [K in keyof T]-?: undefined extends T[K] ? 'optional' : 'required' };

const ADVANCED = 'sandbox-simulator-advanced';
const SSH_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDpb2x5c3RhY2stY2xvdWQtY29tcHV0ZS10ZXN0LWtleS1wYWRkaW5nLXBhZGRpbmctcGFkZGluZy1wYWRkaW5nLXBhZGRpbmctcGFkZGluZw== bob@ws';

/** What is wrong with a type's fields in a set of rendered objects; `unseen` are optional fields the scenario cannot produce. */
function problems<T>(what: string, samples: readonly unknown[], fields: Presence<T>, unseen: readonly (keyof T & string)[] = []): string[] {
  if (!samples.length) return [`${what}: no object to check`];
  const objects = samples as Record<string, unknown>[];
  return Object.entries(fields).flatMap(([k, presence]) => {
    const seen = objects.filter((o) => o[k] !== undefined).length;
    if (presence === 'required' && seen < objects.length) return [`${what}.${k}: required, missing in ${objects.length - seen} of ${objects.length}`];
    if (presence === 'optional' && !seen && !unseen.includes(k as keyof T & string)) return [`${what}.${k}: in none of ${objects.length}`];
    return [];
  });
}

const TAG = { key: 'required', value: 'required' } satisfies Presence<CsTag>;
const ZONE_FIELDS = { id: 'required', name: 'required', networktype: 'required', securitygroupsenabled: 'required', allocationstate: 'required' } satisfies Presence<CsZone>;
const NIC = { id: 'required', networkid: 'required', networkname: 'optional', ipaddress: 'optional', type: 'required', isdefault: 'required', deviceid: 'required' } satisfies Presence<CsNic>;
const VM = {
  id: 'required', name: 'required', displayname: 'optional', state: 'required', created: 'required', lastupdated: 'optional', zoneid: 'required', zonename: 'required',
  templateid: 'optional', templatename: 'optional', serviceofferingid: 'optional', serviceofferingname: 'optional', cpunumber: 'optional', memory: 'optional',
  haenable: 'optional', ipaddress: 'optional', nic: 'optional', publicip: 'optional', publicipid: 'optional', hostid: 'optional', keypairs: 'optional',
  securitygroup: 'optional', tags: 'optional',
} satisfies Presence<CsVm>;
const VOLUME = {
  id: 'required', name: 'required', zoneid: 'required', zonename: 'required', type: 'required', size: 'required', state: 'required', created: 'required',
  destroyed: 'required', virtualmachineid: 'optional', vmname: 'optional', vmstate: 'optional', deviceid: 'optional', attached: 'optional',
  diskofferingid: 'optional', diskofferingname: 'optional', templateid: 'optional', snapshotid: 'optional', tags: 'optional',
} satisfies Presence<CsVolume>;
const TEMPLATE = {
  id: 'required', name: 'required', displaytext: 'optional', ostypeid: 'optional', ostypename: 'optional', ispublic: 'optional', isready: 'optional',
  status: 'optional', size: 'optional', created: 'optional', arch: 'optional', zoneid: 'optional', tags: 'optional',
} satisfies Presence<CsTemplate>;
const SERVICE_OFFERING = {
  id: 'required', name: 'required', displaytext: 'optional', cpunumber: 'optional', memory: 'optional', iscustomized: 'optional', zoneid: 'optional', created: 'optional',
} satisfies Presence<CsServiceOffering>;
const DISK_OFFERING = {
  id: 'required', name: 'required', displaytext: 'optional', disksize: 'optional', iscustomized: 'optional', zoneid: 'optional', created: 'optional',
} satisfies Presence<CsDiskOffering>;
const RULE = { ruleid: 'required', protocol: 'required', startport: 'optional', endport: 'optional', cidr: 'optional' } satisfies Presence<CsSecurityGroupRule>;
const GROUP = { id: 'required', name: 'required', description: 'optional', ingressrule: 'optional', egressrule: 'optional', tags: 'optional' } satisfies Presence<CsSecurityGroup>;
const SNAPSHOT = {
  id: 'required', name: 'required', state: 'required', created: 'required', zoneid: 'optional', volumeid: 'optional', volumename: 'optional', volumetype: 'optional',
  virtualsize: 'optional', physicalsize: 'optional', tags: 'optional',
} satisfies Presence<CsSnapshot>;
const PUBLIC_IP = {
  id: 'required', ipaddress: 'required', zoneid: 'required', zonename: 'optional', issourcenat: 'required', isstaticnat: 'required', state: 'required',
  allocated: 'optional', networkid: 'optional', associatednetworkid: 'optional', virtualmachineid: 'optional', virtualmachinename: 'optional', vpcid: 'optional',
  tags: 'optional',
} satisfies Presence<CsPublicIp>;
const VPC = {
  id: 'required', name: 'required', displaytext: 'optional', cidr: 'required', zoneid: 'required', zonename: 'optional', state: 'optional', created: 'optional', tags: 'optional',
} satisfies Presence<CsVpc>;
const NETWORK = {
  id: 'required', name: 'required', displaytext: 'optional', cidr: 'optional', gateway: 'optional', netmask: 'optional', vpcid: 'optional', zoneid: 'required',
  zonename: 'optional', created: 'optional', isdefault: 'optional', type: 'optional', tags: 'optional',
} satisfies Presence<CsNetwork>;
const ACL_LIST = { id: 'required', name: 'required', description: 'optional', vpcid: 'optional' } satisfies Presence<CsAclList>;
const ACL_ITEM = {
  id: 'required', number: 'required', protocol: 'required', startport: 'optional', endport: 'optional', traffictype: 'required', action: 'required',
  cidrlist: 'optional', reason: 'optional',
} satisfies Presence<CsAclItem>;
const NETWORK_OFFERING = { id: 'required', name: 'required', guestiptype: 'optional' } satisfies Presence<CsNetworkOffering>;
const VPC_OFFERING = { id: 'required', name: 'required' } satisfies Presence<CsVpcOffering>;
const PROJECT = { id: 'required', name: 'required' } satisfies Presence<CsProject>;
const USER = { id: 'required', username: 'required', email: 'optional', account: 'required', accountid: 'required', domainid: 'required', apikey: 'optional' } satisfies Presence<CsUser>;
const ACCOUNT = {
  id: 'required', name: 'required', created: 'optional', vmlimit: 'required', vmtotal: 'required', cpulimit: 'required', cputotal: 'required',
  primarystoragelimit: 'required', primarystoragetotal: 'required', iplimit: 'required', iptotal: 'required', snapshotlimit: 'required', snapshottotal: 'required',
  templatelimit: 'required', templatetotal: 'required',
} satisfies Presence<CsAccount>;
const REGION = { id: 'required', name: 'required' } satisfies Presence<CsRegion>;
const KEY_PAIR = { name: 'required', fingerprint: 'required' } satisfies Presence<CsSshKeyPair>;
const OS_TYPE = { id: 'required', description: 'required' } satisfies Presence<CsOsType>;
const HYPERVISOR = { name: 'required' } satisfies Presence<CsHypervisor>;
const JOB = { jobid: 'required', jobstatus: 'required', jobresultcode: 'optional', jobresult: 'optional' } satisfies Presence<CsJob>;

describe('what the GCE front reads of CloudStack is what CloudStack renders (cloudstack.types.ts)', () => {
  let g: GceWorld;
  let port: LocalPort;
  const call = async (command: string, params: CsParams = {}): Promise<Record<string, unknown>> => {
    const r = await port.call(g.admin, command, params);
    assert.equal(r.status, 200, `${command}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const items = async (command: string, key: string, params: CsParams = {}): Promise<unknown[]> => ((await call(command, params))[key] ?? []) as unknown[];
  const ok = async (r: ReturnType<GceWorld['call']>, where = ZONE): Promise<void> => {
    const { status, body } = await r;
    assert.equal(status, 200, JSON.stringify(body));
    const scope = where === 'global' || where.startsWith('regions/') ? where : `zones/${where}`;
    let done = body;
    while (done.status !== 'DONE') done = (await g.call('POST', `admin/${scope}/operations/${body.name}/wait`)).body;
    assert.equal(done.error, undefined, JSON.stringify(done.error));
  };
  const wait = async (jobid: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const j = await call('queryAsyncJobResult', { jobid });
      if (j['jobstatus'] !== 0) return j;
      await new Promise((r) => setImmediate(r));
    }
  };

  before(async () => {
    g = await gceWorld();
    port = new LocalPort(g.w.s, 'gce');
    // One of everything the front reads, made through the front: an instance with labels, user data and a key; its
    // snapshot and a disk from it; firewalls on the default network (a security group) and on a custom one (an ACL list); an instance
    // on the custom network with an external address; a reserved address.
    const metadata = { items: [{ key: 'user-data', value: '#cloud-config\n' }, { key: 'ssh-keys', value: `bob:${SSH_KEY}` }] };
    await ok(g.call('POST', `admin/zones/${ZONE}/instances`, instanceBody('w-1', { labels: { env: 'test' }, metadata })));
    await ok(g.call('POST', `admin/zones/${ZONE}/disks/w-1/createSnapshot`, { name: 'snap-1', labels: { env: 'test' } }));
    await ok(g.call('POST', `admin/zones/${ZONE}/disks`, { name: 'd-1', sourceSnapshot: 'global/snapshots/snap-1' }));
    await ok(g.call('POST', 'admin/global/firewalls', { name: 'fw-b', allowed: [{ IPProtocol: 'tcp', ports: ['80'] }], targetTags: ['web'] }), 'global');
    await ok(g.call('POST', 'admin/global/networks', { name: 'net-t', autoCreateSubnetworks: true }), 'global');
    await ok(g.call('POST', 'admin/global/firewalls', { name: 'fw-t', network: 'global/networks/net-t', allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] }), 'global');
    await ok(g.call('POST', `admin/zones/${ADVANCED}/instances`, {
      ...instanceBody('w-2'), machineType: `zones/${ADVANCED}/machineTypes/small-instance`, networkInterfaces: [{ network: 'global/networks/net-t' }],
    }), ADVANCED);
    await ok(g.call('POST', `admin/zones/${ADVANCED}/instances/w-2/addAccessConfig?networkInterface=nic0`, { name: 'External NAT', type: 'ONE_TO_ONE_NAT' }), ADVANCED);
    await ok(g.call('POST', 'admin/regions/local/addresses', { name: 'ip-1' }), 'regions/local');
  });
  after(() => g?.close());

  it('lists: VMs and their NICs, volumes, snapshots, templates, offerings, zones', async () => {
    const vms = (await items('listVirtualMachines', 'virtualmachine')) as CsVm[];
    const found = [
      ...problems<CsVm>('virtualmachine', vms, VM),
      ...problems<CsNic>('virtualmachine.nic', vms.flatMap((v) => v.nic ?? []), NIC),
      ...problems<CsTag>('virtualmachine.tags', vms.flatMap((v) => v.tags ?? []), TAG),
      ...problems<CsVolume>('volume', await items('listVolumes', 'volume'), VOLUME, ['templateid']),
      ...problems<CsSnapshot>('snapshot', await items('listSnapshots', 'snapshot'), SNAPSHOT),
      ...problems<CsTemplate>('template', await items('listTemplates', 'template', { templatefilter: 'featured' }), TEMPLATE),
      // The seeded offerings are public in every zone (offering.view.ts leaves zoneid out then).
      ...problems<CsServiceOffering>('serviceoffering', await items('listServiceOfferings', 'serviceoffering'), SERVICE_OFFERING, ['zoneid']),
      ...problems<CsDiskOffering>('diskoffering', await items('listDiskOfferings', 'diskoffering'), DISK_OFFERING, ['zoneid']),
      ...problems<CsZone>('zone', await items('listZones', 'zone'), ZONE_FIELDS),
    ];
    assert.deepEqual(found, []);
  });

  it('lists: security groups and rules, public IPs, VPCs, networks, ACL lists and items, offerings', async () => {
    const groups = (await items('listSecurityGroups', 'securitygroup')) as CsSecurityGroup[];
    const vpcs = (await items('listVPCs', 'vpc')) as CsVpc[];
    const lists = (await items('listNetworkACLLists', 'networkacllist')) as CsAclList[];
    const aclItems = (await Promise.all(lists.filter((l) => l.vpcid).map((l) => items('listNetworkACLs', 'networkacl', { aclid: l.id })))).flat();
    const found = [
      ...problems<CsSecurityGroup>('securitygroup', groups, GROUP),
      ...problems<CsSecurityGroupRule>('securitygroup.ingressrule', groups.flatMap((x) => x.ingressrule ?? []), RULE),
      ...problems<CsPublicIp>('publicipaddress', await items('listPublicIpAddresses', 'publicipaddress'), PUBLIC_IP),
      ...problems<CsVpc>('vpc', vpcs, VPC),
      ...problems<CsNetwork>('network', await items('listNetworks', 'network'), NETWORK),
      ...problems<CsAclList>('networkacllist', lists, ACL_LIST),
      ...problems<CsAclItem>('networkacl', aclItems, ACL_ITEM),
      ...problems<CsNetworkOffering>('networkoffering', await items('listNetworkOfferings', 'networkoffering', { forvpc: true }), NETWORK_OFFERING),
      ...problems<CsVpcOffering>('vpcoffering', await items('listVPCOfferings', 'vpcoffering'), VPC_OFFERING),
    ];
    assert.deepEqual(found, []);
  });

  it('lists: accounts, users, projects, regions, key pairs, OS types, hypervisors', async () => {
    const project = await call('createProject', { name: 'types-p', displaytext: 'types-p' });
    await wait(String(project['jobid']));
    const found = [
      ...problems<CsAccount>('account', await items('listAccounts', 'account'), ACCOUNT),
      // The seeded users have no e-mail address (account.view.ts userView shows one when set).
      ...problems<CsUser>('user', await items('listUsers', 'user'), USER, ['email']),
      ...problems<CsProject>('project', await items('listProjects', 'project'), PROJECT),
      ...problems<CsRegion>('region', await items('listRegions', 'region'), REGION),
      ...problems<CsSshKeyPair>('sshkeypair', await items('listSSHKeyPairs', 'sshkeypair'), KEY_PAIR),
      ...problems<CsOsType>('ostype', await items('listOsTypes', 'ostype'), OS_TYPE),
      ...problems<CsHypervisor>('hypervisor', await items('listHypervisors', 'hypervisor'), HYPERVISOR),
    ];
    assert.deepEqual(found, []);
  });

  it('results: a job, a new security group and network, a registered template, user data', async () => {
    const vm = ((await items('listVirtualMachines', 'virtualmachine', { name: 'w-1' })) as CsVm[])[0]!;
    const tagged = await call('createTags', { resourcetype: 'UserVm', resourceids: [vm.id], tags: [{ key: 'k', value: 'v' }] });
    const refused = await call('createTags', { resourcetype: 'UserVm', resourceids: [vm.id], tags: [{ key: 'k', value: 'v' }] });
    const vpc = ((await items('listVPCs', 'vpc')) as CsVpc[])[0]!;
    const offering = ((await items('listNetworkOfferings', 'networkoffering', { forvpc: true, state: 'Enabled' })) as CsNetworkOffering[]).find((o) => o.guestiptype === 'Isolated')!;
    const network = await call('createNetwork', {
      name: 'tier-x', displaytext: 'tier-x', zoneid: vpc.zoneid, vpcid: vpc.id, networkofferingid: offering.id, gateway: '10.9.0.1', netmask: '255.255.255.0',
    });
    const ostype = ((await items('listOsTypes', 'ostype')) as CsOsType[])[0]!;
    const registered = await call('registerTemplate', {
      name: 'img-x', displaytext: 'img-x', url: 'http://example.com/img-x.qcow2', format: 'QCOW2', hypervisor: 'Simulator', ostypeid: ostype.id, zoneid: '-1',
    });
    const userdata = (await call('getVirtualMachineUserData', { virtualmachineid: vm.id }))['virtualmachineuserdata'] as Record<string, unknown> | undefined;
    const found = [
      ...problems<CsJob>('queryAsyncJobResult', [await wait(String(tagged['jobid'])), await wait(String(refused['jobid']))], JOB),
      ...problems<CsSecurityGroup>('createSecurityGroup', [(await call('createSecurityGroup', { name: 'sg-x', description: 'sg-x' }))['securitygroup']], GROUP, ['ingressrule', 'egressrule', 'tags']),
      ...problems<CsNetwork>('createNetwork', [network['network']], NETWORK, ['tags']),
      // A template being registered has no size until it is downloaded.
      ...problems<CsTemplate>('registerTemplate', (registered['template'] ?? []) as unknown[], TEMPLATE, ['tags', 'size']),
    ];
    assert.deepEqual(found, []);
    assert.equal(typeof userdata?.['userdata'], 'string');
  });
});
