import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';

/** createNetworkOffering & co.: the service/provider map CloudStack builds, its refusals, and the offering's life. */
describe('network offerings', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  const base = { displaytext: 'n', guestiptype: 'Isolated', traffictype: 'GUEST' };
  const vr = (services: string[]) =>
    Object.fromEntries(
      services.flatMap((s, i) => [
        [`serviceproviderlist[${i}].service`, s],
        [`serviceproviderlist[${i}].provider`, 'VirtualRouter'],
      ]),
    );
  const refused = async (params: Record<string, string | number | boolean>, text: string) => {
    const r = await admin('createNetworkOffering', { ...base, name: 'bad', ...params });
    assert.equal(r.status, 431, JSON.stringify(r.body));
    assert.equal(r.body.errortext, text);
  };

  it('creates a disabled offering with Gateway and Firewall implied, usable for networks once enabled', async () => {
    const svcs = ['Dhcp', 'Dns', 'SourceNat', 'PortForwarding'];
    const r = await admin('createNetworkOffering', {
      ...base,
      name: 'iso-pf',
      supportedservices: svcs.join(','),
      ...vr(svcs),
      tags: 'native',
      'servicecapabilitylist[0].service': 'SourceNat',
      'servicecapabilitylist[0].capabilitytype': 'SupportedSourceNatTypes',
      'servicecapabilitylist[0].capabilityvalue': 'peraccount',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const o = r.body.networkoffering;
    assert.equal(o.state, 'Disabled');
    assert.equal(o.availability, 'Optional');
    assert.equal(o.tags, 'native');
    assert.equal(o.forvpc, false);
    const names = (o.service as any[]).map((s) => s.name).sort();
    assert.deepEqual(names, ['Dhcp', 'Dns', 'Firewall', 'Gateway', 'PortForwarding', 'SourceNat']);
    const sn = (o.service as any[]).find((s) => s.name === 'SourceNat');
    assert.deepEqual(sn.provider, [{ name: 'VirtualRouter' }]);
    assert.equal(sn.capability[0].value, 'peraccount');
    const disabled = await admin('createNetwork', {
      name: 'n1',
      displaytext: 'n1',
      zoneid: w.zones.advanced,
      networkofferingid: o.id,
    });
    assert.equal(disabled.status, 431, 'a disabled offering makes no networks');
    assert.equal(
      (await admin('updateNetworkOffering', { id: o.id, state: 'Enabled' })).body.networkoffering.state,
      'Enabled',
    );
    const net = await admin('createNetwork', {
      name: 'n1',
      displaytext: 'n1',
      zoneid: w.zones.advanced,
      networkofferingid: o.id,
    });
    assert.equal(net.status, 200, JSON.stringify(net.body));
    const inUse = await admin('deleteNetworkOffering', { id: o.id });
    assert.equal(inUse.status, 431);
    assert.match(inUse.body.errortext, /as its used by 1 networks/);
    const listed = (await admin('listNetworkOfferings', { supportedservices: 'SourceNat', tags: 'native' })).body
      .networkoffering as any[];
    assert.deepEqual(
      listed.map((x) => x.id),
      [o.id],
    );
    assert.equal(
      (await admin('listNetworkOfferings', { zoneid: w.zones.basic })).body.networkoffering,
      undefined,
      'a basic zone lists none',
    );
  });

  it('refuses what CloudStack refuses', async () => {
    await refused({ traffictype: 'Public' }, 'Only traffic type Guest is supported in the current release');
    await refused({ guestiptype: 'Other' }, 'Invalid "type" parameter is given; can have Shared and Isolated values');
    await refused({ supportedservices: 'Dhcp,Teleport' }, 'Invalid service Teleport');
    await refused(
      {
        supportedservices: 'Dhcp',
        'serviceproviderlist[0].service': 'Dns',
        'serviceproviderlist[0].provider': 'VirtualRouter',
      },
      "Service Dns is not enabled for the network offering, can't add a provider to it",
    );
    await refused(
      {
        supportedservices: 'Dhcp',
        'serviceproviderlist[0].service': 'Dhcp',
        'serviceproviderlist[0].provider': 'Nobody',
      },
      'Invalid service provider: Nobody',
    );
    await refused(
      { supportedservices: 'SecurityGroup' },
      'Security group service is supported for network offerings with guest ip type Shared',
    );
    await refused(
      { guestiptype: 'Shared', supportedservices: 'Dhcp' },
      'SpecifyIpRanges should always be true for Shared network offerings',
    );
    await refused(
      { supportedservices: 'SourceNat', specifyipranges: true },
      'SpecifyIpRanges can only be true for Shared network offerings and Isolated with no SourceNat service',
    );
    await refused(
      { supportedservices: 'Dhcp', availability: 'Required' },
      'Availability can be Required only for networkOfferings of type Isolated and with SourceNat enabled',
    );
    await refused(
      { supportedservices: 'Dhcp', availability: 'Sometimes' },
      'Invalid value for Availability. Supported types: Required, Optional',
    );
    await refused({ supportedservices: 'Dhcp', 'details[0].nonsense': 'x' }, 'Unsupported detail nonsense');
    assert.equal((await admin('listNetworkOfferings', { name: 'bad' })).body.networkoffering, undefined);
  });

  it('a VPC provider makes it a VPC offering; default offerings cannot be deleted; a deleted offering is gone', async () => {
    const svcs = ['Dhcp', 'Dns', 'SourceNat', 'NetworkACL'];
    const providers = Object.fromEntries(
      svcs.flatMap((s, i) => [
        [`serviceproviderlist[${i}].service`, s],
        [`serviceproviderlist[${i}].provider`, 'VpcVirtualRouter'],
      ]),
    );
    const o = (
      await admin('createNetworkOffering', {
        ...base,
        name: 'tier',
        supportedservices: svcs.join(','),
        ...providers,
        enable: true,
      })
    ).body.networkoffering;
    assert.equal(o.forvpc, true);
    assert.equal(o.state, 'Enabled');
    const def = (await admin('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOffering' })).body
      .networkoffering[0];
    const r = await admin('deleteNetworkOffering', { id: def.id });
    assert.equal(r.body.errortext, "Default network offering can't be deleted");
    assert.equal((await admin('deleteNetworkOffering', { id: o.id })).body.success, true);
    assert.equal((await admin('listNetworkOfferings', { id: o.id })).body.networkoffering, undefined);
    assert.ok(((await admin('listEvents', { type: 'NETWORK.OFFERING.DELETE' })).body.event ?? []).length >= 1);
  });

  it('VPC offerings: created by a job with SourceNat, NetworkACL and Gateway added; enabled, used, then deleted', async () => {
    const created = await runJob(w, admin, 'createVPCOffering', {
      name: 'my-vpc-off',
      displaytext: 'mine',
      supportedservices: 'Dhcp,Dns,StaticNat',
    });
    assert.equal(created.jobstatus, 1, JSON.stringify(created));
    const o = created.jobresult.vpcoffering;
    assert.equal(o.state, 'Disabled');
    assert.deepEqual((o.service as any[]).map((x) => x.name).sort(), [
      'Dhcp',
      'Dns',
      'Gateway',
      'NetworkACL',
      'SourceNat',
      'StaticNat',
    ]);
    const bad = await admin('createVPCOffering', { name: 'x', displaytext: 'x', supportedservices: 'Firewall' });
    assert.equal(bad.status, 431);
    assert.equal(bad.body.errortext, 'Service Firewall is not supported in VPC');
    const disabled = await admin('createVPC', {
      name: 'v',
      displaytext: 'v',
      zoneid: w.zones.advanced,
      cidr: '10.9.0.0/16',
      vpcofferingid: o.id,
    });
    assert.equal(disabled.status, 431, 'a disabled offering makes no VPC');
    const enabled = await runJob(w, admin, 'updateVPCOffering', { id: o.id, state: 'Enabled', name: 'renamed' });
    assert.equal(enabled.jobresult.vpcoffering.state, 'Enabled');
    assert.equal(enabled.jobresult.vpcoffering.name, 'renamed');
    const vpc = await runJob(w, admin, 'createVPC', {
      name: 'v',
      displaytext: 'v',
      zoneid: w.zones.advanced,
      cidr: '10.9.0.0/16',
      vpcofferingid: o.id,
    });
    assert.equal(vpc.jobstatus, 1);
    const inUse = await runJob(w, admin, 'deleteVPCOffering', { id: o.id });
    assert.equal(inUse.jobstatus, 2);
    assert.match(inUse.jobresult.errortext, /as its used by 1 vpcs/);
    assert.equal((await runJob(w, admin, 'deleteVPC', { id: vpc.jobresult.vpc.id })).jobstatus, 1);
    assert.equal((await runJob(w, admin, 'deleteVPCOffering', { id: o.id })).jobstatus, 1);
    assert.equal((await admin('listVPCOfferings', { id: o.id })).body.vpcoffering, undefined);
  });

  it('network and VPC offerings limited to a domain: others can neither list nor use them', async () => {
    const dom = (await admin('createDomain', { name: 'net-dom' })).body.domain;
    assert.equal(
      (
        await admin('createAccount', {
          account: 'stranger',
          username: 'stranger',
          password: 'pw',
          email: 's@x',
          firstname: 's',
          lastname: 't',
          accounttype: 0,
        })
      ).status,
      200,
    );
    const stranger = await apiSession(w, 'stranger', 'pw');
    const svcs = ['Dhcp', 'Dns', 'SourceNat'];
    const net = (
      await admin('createNetworkOffering', {
        ...base,
        name: 'dom-net',
        supportedservices: svcs.join(','),
        ...vr(svcs),
        enable: true,
        domainid: dom.id,
      })
    ).body.networkoffering;
    assert.equal(net.domainid, dom.id);
    assert.ok(
      !((await stranger('listNetworkOfferings', {})).body.networkoffering as any[]).some((x) => x.id === net.id),
    );
    const made = await stranger('createNetwork', {
      name: 'x',
      displaytext: 'x',
      zoneid: w.zones.advanced,
      networkofferingid: net.id,
    });
    assert.equal(made.status, 531, JSON.stringify(made.body));
    const vpcOff = (
      await runJob(w, admin, 'createVPCOffering', {
        name: 'dom-vpc',
        displaytext: 'd',
        supportedservices: 'Dhcp,Dns',
        enable: true,
        domainid: dom.id,
      })
    ).jobresult.vpcoffering;
    assert.equal((await stranger('listVPCOfferings', { id: vpcOff.id })).body.vpcoffering, undefined);
    const vpc = await stranger('createVPC', {
      name: 'v',
      displaytext: 'v',
      zoneid: w.zones.advanced,
      cidr: '10.8.0.0/16',
      vpcofferingid: vpcOff.id,
    });
    assert.equal(vpc.status, 531, JSON.stringify(vpc.body));
  });
});
