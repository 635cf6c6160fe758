import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails, offering } from '../helpers/networking.js';

/** updateVmNicIp (UserVmManagerImpl.updateNicIpForVirtualMachine). */
describe('changing the address of a NIC', () => {
  let w: World;
  let admin: Api;
  let net: any;
  let vm: any;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const shared = await offering(admin, 'DefaultSharedNetworkOffering');
    net = (await admin('createNetwork', {
      zoneid: w.zones.advanced, name: 'nicip', displaytext: 'nicip', networkofferingid: shared, vlan: 2222, gateway: '192.168.1.1', netmask: '255.255.255.0', startip: '192.168.1.2', endip: '192.168.1.20',
    })).body.network;
    // A second range of the network in another subnet, with its own gateway and netmask.
    const r = await admin('createVlanIpRange', { networkid: net.id, vlan: 2222, gateway: '192.168.3.1', netmask: '255.255.255.224', startip: '192.168.3.2', endip: '192.168.3.20', forvirtualnetwork: false });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    vm = await deploy(w, admin, w.zones.advanced, { networkids: net.id });
  });
  after(() => w.close());

  it('needs the VM stopped on a network with services', async () => {
    await jobFails(w, admin, 'updateVmNicIp', { nicid: vm.nic[0].id, ipaddress: '192.168.3.2' }, 431, 'VM is not Stopped, unable to update the vm nic having the specified id');
  });

  it('moves the NIC to an address of another range, with that range gateway and netmask', async () => {
    assert.equal((await runJob(w, admin, 'stopVirtualMachine', { id: vm.id })).jobstatus, 1);
    await jobFails(w, admin, 'updateVmNicIp', { nicid: vm.nic[0].id, ipaddress: '192.168.9.2' }, 431, 'IP address 192.168.9.2 is not in the network\'s range');
    await jobFails(w, admin, 'updateVmNicIp', { nicid: vm.nic[0].id, ipaddress: 'nonsense' }, 431, 'Invalid ip address nonsense');
    const r = await runJob(w, admin, 'updateVmNicIp', { nicid: vm.nic[0].id, ipaddress: '192.168.3.2' });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    const [nic] = r.jobresult.virtualmachine.nic;
    assert.deepEqual([nic.ipaddress, nic.gateway, nic.netmask], ['192.168.3.2', '192.168.3.1', '255.255.255.224']);
    const listed = (await admin('listNics', { virtualmachineid: vm.id, networkid: net.id })).body.nic[0];
    assert.deepEqual([listed.ipaddress, listed.gateway, listed.netmask], ['192.168.3.2', '192.168.3.1', '255.255.255.224']);
  });
});
