import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

/** listNetscalerLoadBalancers: no external device is simulated, so a physical network lists none. */
describe('listNetscalerLoadBalancers', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('lists no device on a physical network, and refuses what NetscalerElement refuses', async () => {
    const pn = (await admin('listPhysicalNetworks', { zoneid: w.zones.basic })).body.physicalnetwork[0];
    const r = await admin('listNetscalerLoadBalancers', { physicalnetworkid: pn.id });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {});
    const none = await admin('listNetscalerLoadBalancers', {});
    assert.deepEqual(
      [none.status, none.body.errortext],
      [431, 'Either physical network Id or load balancer device Id must be specified'],
    );
    const dev = await admin('listNetscalerLoadBalancers', { lbdeviceid: 'd0e0a0b0-0000-4000-8000-000000000001' });
    assert.equal(dev.status, 431);
  });
});
