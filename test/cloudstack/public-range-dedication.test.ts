import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, refused, tenant } from '../helpers/networking.js';

/** dedicatePublicIpRange / releasePublicIpRange (ConfigurationManagerImpl). */
describe('dedicating a public IP range', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let domainId: string;
  let range: any;
  let netA: string;
  let netB: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'ded-a');
    b = await tenant(w, admin, 'ded-b');
    domainId = (await admin('listAccounts', { name: 'ded-a' })).body.account[0].domainid;
    // The networks (and their source-NAT addresses) exist before the range does.
    netA = (await deploy(w, a, w.zones.advanced)).nic[0].networkid;
    netB = (await deploy(w, b, w.zones.advanced)).nic[0].networkid;
    const r = await admin('createVlanIpRange', {
      zoneid: w.zones.advanced,
      forvirtualnetwork: true,
      vlan: 77,
      gateway: '172.30.0.1',
      netmask: '255.255.255.0',
      startip: '172.30.0.10',
      endip: '172.30.0.11',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    range = r.body.vlan;
  });
  after(() => w.close());

  it('dedicates the range to an account, which alone takes addresses from it; release gives it back', async () => {
    const r = await admin('dedicatePublicIpRange', { id: range.id, account: 'ded-a', domainid: domainId });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.vlan.account, 'ded-a');
    assert.equal((await admin('listVlanIpRanges', { id: range.id })).body.vlaniprange[0].account, 'ded-a');
    await refused(
      w,
      admin,
      'dedicatePublicIpRange',
      { id: range.id, account: 'ded-b', domainid: domainId },
      431,
      'Specified Public IP range has already been dedicated',
    );
    const ip = (await runJob(w, a, 'associateIpAddress', { networkid: netA, ipaddress: '172.30.0.10' })).jobresult
      .ipaddress;
    assert.equal(ip.ipaddress, '172.30.0.10');
    await refused(
      w,
      b,
      'associateIpAddress',
      { networkid: netB, ipaddress: '172.30.0.11' },
      533,
      'Insufficient address capacity: the requested IP 172.30.0.11 is not free in zone Sandbox-simulator-advanced',
    );
    assert.deepEqual((await admin('releasePublicIpRange', { id: range.id })).body, { success: true });
    const after = (await admin('listVlanIpRanges', { id: range.id })).body.vlaniprange[0];
    assert.equal(after.account, undefined);
    // The address nobody used it for went back to the pool with the range.
    assert.equal((await a('listPublicIpAddresses', { id: ip.id })).body.count ?? 0, 0);
    await refused(
      w,
      admin,
      'releasePublicIpRange',
      { id: range.id },
      431,
      `Can't release Public IP range ${range.id} as it not dedicated to any domain and any account`,
    );
  });
});
