import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/** hostcontrolstate (ControlState.getControlState of the VM's host) on user VMs, routers and system VMs. */
describe('hostcontrolstate', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('follows the host: Enabled, Disabled after updateHost allocationstate=Disable, Enabled again', async () => {
    const vm = await deploy(w, admin, w.zones.advanced);
    const shown = async () => (await admin('listVirtualMachines', { id: vm.id })).body.virtualmachine[0];
    const host = (await shown()).hostid;
    assert.equal((await shown()).hostcontrolstate, 'Enabled');
    assert.equal((await admin('updateHost', { id: host, allocationstate: 'Disable' })).status, 200);
    assert.equal((await shown()).hostcontrolstate, 'Disabled');
    await admin('updateHost', { id: host, allocationstate: 'Enable' });
    assert.equal((await shown()).hostcontrolstate, 'Enabled');
  });

  it('routers and system VMs carry it too', async () => {
    const routers = (await admin('listRouters', { listall: true })).body.router ?? [];
    assert.ok(
      routers.length > 0 && routers.every((r: any) => r.hostcontrolstate === 'Enabled'),
      JSON.stringify(routers.map((r: any) => r.hostcontrolstate)),
    );
    const svms = (await admin('listSystemVms', {})).body.systemvm ?? [];
    assert.ok(svms.length > 0 && svms.filter((s: any) => s.hostid).every((s: any) => s.hostcontrolstate === 'Enabled'));
  });
});
