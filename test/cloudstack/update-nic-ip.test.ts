import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails, tenant } from '../helpers/networking.js';

/** updateVmNicIp (UserVmManagerImpl.updateNicIpForVirtualMachine): a NIC's own address changes; every check is the job's. */
describe('updateVmNicIp', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let vm: any;
  let nic: any;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'nicupd-a');
    b = await tenant(w, admin, 'nicupd-b');
    vm = await deploy(w, a, w.zones.advanced);
    nic = vm.nic[0];
  });
  after(() => w.close());

  const nicOf = async (api: Api, vmId: string) =>
    (await api('listVirtualMachines', { id: vmId })).body.virtualmachine[0].nic[0];

  it('a running VM on a network with services keeps its address: the job fails with 431', async () => {
    await jobFails(
      w,
      a,
      'updateVmNicIp',
      { nicid: nic.id },
      431,
      'VM is not Stopped, unable to update the vm nic having the specified id',
    );
  });

  it('stopped: the address asked for, then any free one; the job answers the VM with the NIC as it is now', async () => {
    assert.equal((await runJob(w, a, 'stopVirtualMachine', { id: vm.id })).jobstatus, 1);
    const wanted = nic.ipaddress.replace(/\.\d+$/, '.200');
    const r = await runJob(w, a, 'updateVmNicIp', { nicid: nic.id, ipaddress: wanted });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.equal(r.jobinstancetype, 'IpAddress');
    assert.equal(r.jobresult.virtualmachine.id, vm.id);
    assert.equal(r.jobresult.virtualmachine.nic[0].ipaddress, wanted);
    assert.equal((await nicOf(a, vm.id)).ipaddress, wanted);
    // The old address is free again: a secondary address may take it.
    const back = await runJob(w, a, 'addIpToNic', { nicid: nic.id, ipaddress: nic.ipaddress });
    assert.equal(back.jobstatus, 1, JSON.stringify(back.jobresult));
    const any = await runJob(w, a, 'updateVmNicIp', { nicid: nic.id });
    const now = any.jobresult.virtualmachine.nic[0].ipaddress;
    assert.ok(now !== wanted && now !== nic.ipaddress, now);
  });

  it('an address in use, outside the network or not an address is refused as CloudStack does', async () => {
    const other = await deploy(w, a, w.zones.advanced, { networkids: nic.networkid });
    const choose = `Allocating ip to guest nic ${nic.id} failed, please choose another ip`;
    await jobFails(w, a, 'updateVmNicIp', { nicid: nic.id, ipaddress: other.nic[0].ipaddress }, 431, choose);
    await jobFails(w, a, 'updateVmNicIp', { nicid: nic.id, ipaddress: '192.0.2.10' }, 431, choose);
    await jobFails(
      w,
      a,
      'updateVmNicIp',
      { nicid: nic.id, ipaddress: '10.1.1.999' },
      530,
      'Invalid ip address 10.1.1.999',
    );
  });

  it("another account may not change the VM's address; an admin may", async () => {
    await jobFails(
      w,
      b,
      'updateVmNicIp',
      { nicid: nic.id },
      531,
      `Account 'nicupd-b' does not have permission to operate with resource VirtualMachine ${vm.id}`,
    );
    assert.equal((await runJob(w, admin, 'updateVmNicIp', { nicid: nic.id })).jobstatus, 1);
  });

  it('a basic zone (shared network) takes another address of its guest range', async () => {
    const basic = await deploy(w, a, w.zones.basic);
    assert.equal((await runJob(w, a, 'stopVirtualMachine', { id: basic.id })).jobstatus, 1);
    const r = await runJob(w, a, 'updateVmNicIp', { nicid: basic.nic[0].id });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.notEqual(r.jobresult.virtualmachine.nic[0].ipaddress, basic.nic[0].ipaddress);
    const taken = (await deploy(w, a, w.zones.basic)).nic[0].ipaddress;
    await jobFails(
      w,
      a,
      'updateVmNicIp',
      { nicid: basic.nic[0].id, ipaddress: taken },
      530,
      'Failed to update ip address on vm NIC. Refer to server logs for details.',
    );
  });
});
