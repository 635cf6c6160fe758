import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, jobFails, refused, tenant } from '../helpers/networking.js';

/** addIpToNic / removeIpFromNic (NicSecondaryIpServiceImpl): extra guest addresses on a NIC. */
describe('secondary IP addresses on a NIC', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let vm: any;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'nicip-a');
    b = await tenant(w, admin, 'nicip-b');
    vm = await deploy(w, a, w.zones.advanced);
  });
  after(() => w.close());

  it("addIpToNic takes a free address of the NIC's network; listNics and listVirtualMachines show it; removeIpFromNic gives it back", async () => {
    const nic = vm.nic[0];
    const { id, job } = await created(w, a, 'addIpToNic', { nicid: nic.id });
    const ip = job.jobresult.nicsecondaryip;
    assert.deepEqual([ip.id, ip.nicid, ip.networkid, ip.virtualmachineid], [id, nic.id, nic.networkid, vm.id]);
    assert.notEqual(ip.ipaddress, nic.ipaddress);
    const listed = (await a('listNics', { virtualmachineid: vm.id })).body.nic[0];
    assert.deepEqual(listed.secondaryip, [{ id, ipaddress: ip.ipaddress }]);
    const shown = (await a('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].nic[0];
    assert.deepEqual(shown.secondaryip, [{ id, ipaddress: ip.ipaddress }]);
    // The address is held: a second VM in the network gets another one.
    const next = await deploy(w, a, w.zones.advanced, { networkids: nic.networkid });
    assert.notEqual(next.nic[0].ipaddress, ip.ipaddress);
    assert.deepEqual((await runJob(w, a, 'removeIpFromNic', { id })).jobresult, { success: true });
    assert.deepEqual((await a('listNics', { virtualmachineid: vm.id })).body.nic[0].secondaryip, []);
  });

  it('a requested address already in use is refused; another account cannot add to or remove from the NIC', async () => {
    const nic = vm.nic[0];
    await refused(
      w,
      a,
      'addIpToNic',
      { nicid: nic.id, ipaddress: nic.ipaddress },
      533,
      `The requested IP address ${nic.ipaddress} is already in use`,
    );
    const r = await b('addIpToNic', { nicid: nic.id });
    assert.equal(r.status, 531, JSON.stringify(r.body));
    const { id } = await created(w, a, 'addIpToNic', { nicid: nic.id });
    assert.equal((await b('removeIpFromNic', { id })).status, 531);
    await refused(
      w,
      a,
      'removeIpFromNic',
      { id: '0b3b7f6e-0000-4000-8000-000000000000' },
      431,
      'Unable to find secondary ip address by id',
    );
  });

  it('an address a port forwarding rule sends to stays', async () => {
    const nic = vm.nic[0];
    const { job } = await created(w, a, 'addIpToNic', { nicid: nic.id });
    const sec = job.jobresult.nicsecondaryip;
    const pub = (await runJob(w, a, 'associateIpAddress', { networkid: nic.networkid })).jobresult.ipaddress;
    await created(w, a, 'createPortForwardingRule', {
      ipaddressid: pub.id,
      protocol: 'tcp',
      publicport: 80,
      privateport: 80,
      virtualmachineid: vm.id,
      vmguestip: sec.ipaddress,
    });
    await jobFails(
      w,
      a,
      'removeIpFromNic',
      { id: sec.id },
      431,
      `Can't remove the secondary ip ${sec.ipaddress} is associate with the port forwarding rule`,
    );
  });
});
