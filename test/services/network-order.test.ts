import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { offering, tenant } from '../helpers/networking.js';

/** NetworkServiceImpl.searchForNetworks: new Filter(NetworkVO.class, "id", false, ...): newest first. */
describe('listNetworks order', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'ordered');
  });
  after(() => w.close());

  it('answers the newest network first, for the owner and for an admin naming the account', async () => {
    const isolated = await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    const made: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      w.clock.advance(1000);
      const r = await a('createNetwork', {
        zoneid: w.zones.advanced,
        name,
        displaytext: name,
        networkofferingid: isolated,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      made.push(r.body.network.name);
    }
    const domainid = (await a('listAccounts', {})).body.account[0].domainid;
    const names = async (api: Api, params: Record<string, string>) =>
      ((await api('listNetworks', { zoneid: w.zones.advanced, ...params })).body.network as any[]).map((n) => n.name);
    assert.deepEqual(await names(a, {}), [...made].reverse());
    assert.deepEqual(await names(admin, { account: 'ordered', domainid, listall: 'true' }), [...made].reverse());
  });
});
