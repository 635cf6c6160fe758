import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { jobFails, refused } from '../helpers/networking.js';

/** The IPv6 infrastructure: the offering setting, zones' guest prefixes and public IPv6 ranges. */
describe('IPv6 infrastructure', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  const setting = async (value: string) =>
    assert.equal((await admin('updateConfiguration', { name: 'ipv6.offering.enabled', value })).status, 200);

  it('dual-stack offerings need ipv6.offering.enabled, which is false by default', async () => {
    const [cfg] = (await admin('listConfigurations', { name: 'ipv6.offering.enabled' })).body.configuration;
    assert.equal(cfg.value, 'false');
    const net = {
      name: 'ds',
      displaytext: 'ds',
      guestiptype: 'Isolated',
      traffictype: 'GUEST',
      supportedservices: 'Dhcp,Dns,SourceNat',
      internetprotocol: 'dualstack',
    };
    await refused(
      w,
      admin,
      'createNetworkOffering',
      net,
      431,
      'Configuration ipv6.offering.enabled needs to be enabled for creating IPv6 supported network offering',
    );
    await refused(
      w,
      admin,
      'createVPCOffering',
      { name: 'ds', displaytext: 'ds', supportedservices: 'Dhcp,Dns', internetprotocol: 'dualstack' },
      431,
      'Configuration ipv6.offering.enabled needs to be enabled for creating IPv6 supported VPC offering',
    );
    await setting('true');
    const o = (await admin('createNetworkOffering', net)).body.networkoffering;
    assert.equal(o.internetprotocol, 'DualStack');
    const v = await runJob(w, admin, 'createVPCOffering', {
      name: 'ds',
      displaytext: 'ds',
      supportedservices: 'Dhcp,Dns',
      internetprotocol: 'dualstack',
    });
    assert.equal(v.jobresult.vpcoffering.internetprotocol, 'DualStack');
    await setting('false');
  });

  it('a guest prefix is /64 or larger, overlaps no other of the zone, and counts its /64s', async () => {
    const made = await runJob(w, admin, 'createGuestNetworkIpv6Prefix', {
      zoneid: w.zones.advanced,
      prefix: 'fd17:ac56:1234:1000::/52',
    });
    assert.equal(made.jobstatus, 1, JSON.stringify(made.jobresult));
    const p = made.jobresult.guestnetworkipv6prefix;
    assert.deepEqual(
      [p.prefix, p.zoneid, p.totalsubnets, p.usedsubnets, p.availablesubnets],
      ['fd17:ac56:1234:1000::/52', w.zones.advanced, 4096, 0, 4096],
    );
    const listed = (await admin('listGuestNetworkIpv6Prefixes', { id: p.id })).body.guestnetworkipv6prefix;
    assert.deepEqual(
      listed.map((x: any) => x.id),
      [p.id],
    );
    assert.equal(
      (await admin('listGuestNetworkIpv6Prefixes', { zoneid: w.zones.basic })).body.guestnetworkipv6prefix,
      undefined,
    );
    await jobFails(
      w,
      admin,
      'createGuestNetworkIpv6Prefix',
      { zoneid: w.zones.advanced, prefix: 'fd17:ac56:1234:2000::/72' },
      431,
      'IPv6 prefix must be /64 or less',
    );
    await jobFails(
      w,
      admin,
      'createGuestNetworkIpv6Prefix',
      { zoneid: w.zones.advanced, prefix: 'fd17:ac56:1234:1800::/56' },
      431,
      'IPv6 prefix fd17:ac56:1234:1800::/56 overlaps with the existing IPv6 prefix fd17:ac56:1234:1000::/52',
    );
    // Another zone may hold the same prefix.
    const other = await runJob(w, admin, 'createGuestNetworkIpv6Prefix', {
      zoneid: w.zones.basic,
      prefix: 'fd17:ac56:1234:1000::/52',
    });
    assert.equal(other.jobstatus, 1);
    assert.equal(
      (await runJob(w, admin, 'deleteGuestNetworkIpv6Prefix', { id: other.jobresult.guestnetworkipv6prefix.id }))
        .jobresult.success,
      true,
    );
    assert.equal((await runJob(w, admin, 'deleteGuestNetworkIpv6Prefix', { id: p.id })).jobstatus, 1);
    assert.equal((await admin('listGuestNetworkIpv6Prefixes', {})).body.guestnetworkipv6prefix, undefined);
  });

  it('a basic zone takes no public range: its physical network carries no Public traffic', async () => {
    await refused(
      w,
      admin,
      'createVlanIpRange',
      {
        zoneid: w.zones.basic,
        ip6gateway: 'fd17:ac56:1234:2000::1',
        ip6cidr: 'fd17:ac56:1234:2000::/64',
        forvirtualnetwork: true,
      },
      431,
      'Unable to find the default physical network with traffic=Public in the specified zone id',
    );
  });

  it('a user may not manage prefixes', async () => {
    await admin('createAccount', {
      account: 'u6',
      username: 'u6',
      password: 'pw',
      email: 'u@x',
      firstname: 'u',
      lastname: 'u',
      accounttype: 0,
    });
    const user = await apiSession(w, 'u6', 'pw');
    for (const cmd of ['listGuestNetworkIpv6Prefixes', 'createGuestNetworkIpv6Prefix'])
      assert.equal((await user(cmd, { zoneid: w.zones.advanced, prefix: 'fd00::/48' })).status, 432, cmd);
  });

  it('a public range may carry an IPv6 CIDR alone, /64 or larger, overlapping no other IPv6 range', async () => {
    const made = (
      await admin('createVlanIpRange', {
        zoneid: w.zones.advanced,
        ip6gateway: 'fd17:ac56:1234:2000::1',
        ip6cidr: 'fd17:ac56:1234:2000::/64',
        vlan: 301,
        forvirtualnetwork: true,
      })
    ).body;
    const v = made.vlan;
    assert.equal(v.ip6cidr, 'fd17:ac56:1234:2000::/64');
    assert.equal(v.ip6gateway, 'fd17:ac56:1234:2000::1');
    assert.equal(v.vlan, 'vlan://301');
    assert.deepEqual([v.gateway, v.netmask, v.startip], [undefined, undefined, undefined]);
    const [listed] = (await admin('listVlanIpRanges', { id: v.id })).body.vlaniprange;
    assert.equal(listed.ip6cidr, 'fd17:ac56:1234:2000::/64');
    await refused(
      w,
      admin,
      'createVlanIpRange',
      { zoneid: w.zones.advanced, ip6gateway: 'fd17:ac56:1234:3000::1', ip6cidr: 'fd17:ac56:1234:3000::/72' },
      431,
      'For IPv6 range, prefix must be /64 or less',
    );
    await refused(
      w,
      admin,
      'createVlanIpRange',
      { zoneid: w.zones.advanced, ip6gateway: 'fd17:ac56:1234::1', ip6cidr: 'fd17:ac56:1234::/48' },
      431,
      'The IPv6 range with tag: vlan://301 already has IPs that overlap with the new range.',
    );
    await refused(
      w,
      admin,
      'createVlanIpRange',
      { zoneid: w.zones.advanced, ip6cidr: 'fd17:ac56:1234:4000::/64' },
      431,
      'Gateway, netmask and zoneId have to be passed in for virtual and direct untagged networks',
    );
    await refused(
      w,
      admin,
      'createVlanIpRange',
      { zoneid: w.zones.advanced, vlan: 302 },
      431,
      'StartIP or IPv6 CIDR is missing in the parameters!',
    );
    assert.equal((await admin('deleteVlanIpRange', { id: v.id })).body.success, true);
  });
});
