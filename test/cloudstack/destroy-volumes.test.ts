import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, refused } from '../helpers/networking.js';

/** destroyVirtualMachine volumeids (UserVmManagerImpl.destroyVm): the named data disks go with the VM. */
describe('destroyVirtualMachine volumeids', () => {
  let w: World;
  let admin: Api;
  let diskOfferingId: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    diskOfferingId = (await admin('listDiskOfferings', {})).body.diskoffering.find((d: any) => !d.iscustomized).id;
  });
  after(() => w.close());

  const dataDisk = async (vmId: string): Promise<string> => {
    const { id } = await created(w, admin, 'createVolume', {
      name: `d-${vmId.slice(0, 6)}`,
      zoneid: w.zones.advanced,
      diskofferingid: diskOfferingId,
    });
    const att = await runJob(w, admin, 'attachVolume', { id, virtualmachineid: vmId });
    assert.equal(att.jobstatus, 1, JSON.stringify(att.jobresult));
    return id;
  };

  it('deletes the named data disk when the VM is destroyed and expunged (the Marvin spelling volumeIds too)', async () => {
    const vm = await deploy(w, admin, w.zones.advanced);
    const vol = await dataDisk(vm.id);
    const r = await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true, volumeIds: vol });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.equal((await admin('listVirtualMachines', { id: vm.id })).body.count, undefined);
    assert.equal((await admin('listVolumes', { id: vol })).body.count, undefined);
  });

  it('without volumeids the data disk stays, detached, after the expunge', async () => {
    const vm = await deploy(w, admin, w.zones.advanced);
    const vol = await dataDisk(vm.id);
    assert.equal((await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true })).jobstatus, 1);
    const [v] = (await admin('listVolumes', { id: vol })).body.volume;
    assert.equal(v.virtualmachineid, undefined);
  });

  it('refuses a volume that is not a data disk of this VM', async () => {
    const vm = await deploy(w, admin, w.zones.advanced);
    const root = (await admin('listVolumes', { virtualmachineid: vm.id, type: 'ROOT', listall: true })).body.volume[0]
      .id;
    await refused(
      w,
      admin,
      'destroyVirtualMachine',
      { id: vm.id, volumeids: root },
      431,
      /^The following supplied volumes are not DATADISK attached to the VM: Vol\[/,
    );
  });
});
