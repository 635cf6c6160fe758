import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, refused, tenant } from '../helpers/networking.js';

/** AssociateIPAddrCmd.getEntityOwnerId / getNetworkId: whose address, and for which network. */
describe('associateIpAddress with zoneid and account (no networkid)', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let network: string;
  let domainId: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'assoc-a');
    await tenant(w, admin, 'assoc-none');
    network = (await deploy(w, a, w.zones.advanced)).nic[0].networkid;
    domainId = (await admin('listAccounts', { name: 'assoc-a' })).body.account[0].domainid;
  });
  after(() => w.close());

  it("an admin's address for account X goes to X's only isolated network, and rules can be put on it", async () => {
    const r = await runJob(w, admin, 'associateIpAddress', {
      zoneid: w.zones.advanced,
      account: 'assoc-a',
      domainid: domainId,
    });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    const ip = r.jobresult.ipaddress;
    assert.deepEqual([ip.account, ip.associatednetworkid], ['assoc-a', network]);
    await created(w, a, 'createFirewallRule', { ipaddressid: ip.id, protocol: 'tcp', startport: 22, endport: 22 });
  });

  it("a user's address with only zoneid goes to the user's network", async () => {
    const ip = (await runJob(w, a, 'associateIpAddress', { zoneid: w.zones.advanced })).jobresult.ipaddress;
    assert.equal(ip.associatednetworkid, network);
  });

  it('an account without an isolated network in the zone is refused', async () => {
    await refused(
      w,
      admin,
      'associateIpAddress',
      { zoneid: w.zones.advanced, account: 'assoc-none', domainid: domainId },
      431,
      "Account name=assoc-none domain=ROOT doesn't have virtual networks in zone=Sandbox-simulator-advanced",
    );
  });

  it('an account with two isolated networks must name one', async () => {
    const offering = (await a('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' }))
      .body.networkoffering[0].id;
    const second = await a('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'second',
      displaytext: 'second',
      networkofferingid: offering,
    });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    await refused(
      w,
      a,
      'associateIpAddress',
      { zoneid: w.zones.advanced },
      431,
      'Account has more than one isolated network in the zone',
    );
  });
});
