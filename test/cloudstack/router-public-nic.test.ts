import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, tenant } from '../helpers/networking.js';

/** DomainRouterResponse's public NIC fields: gateway and publicnetmask come from the public range. */
describe("a router's public NIC", () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('listRouters shows the gateway and netmask of the public range its source-NAT address is from', async () => {
    const a = await tenant(w, admin, 'router-a');
    const vm = await deploy(w, a, w.zones.advanced);
    const [router] = (await admin('listRouters', { networkid: vm.nic[0].networkid, listall: true })).body.router;
    const range = (await admin('listVlanIpRanges', { zoneid: w.zones.advanced, forvirtualnetwork: true })).body
      .vlaniprange[0];
    assert.ok(router.publicip);
    assert.deepEqual([router.gateway, router.publicnetmask], [range.gateway, range.netmask]);
  });
});
