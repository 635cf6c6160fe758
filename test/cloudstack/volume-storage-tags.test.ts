import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';

/**
 * A data disk is created on a pool carrying every tag of its disk offering (the storage
 * allocators' tag match): attaching an Allocated volume whose tags no pool of the VM's cluster
 * has fails (test_primary_storage TestStorageTags test_01).
 */
describe('attachVolume honours the disk offering storage tags', () => {
  let w: World;
  let admin: Api;
  let vm: string;
  let clusterId: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const deployed = await runJob(w, admin, 'deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: w.template,
    });
    assert.equal(deployed.jobstatus, 1, JSON.stringify(deployed));
    vm = deployed.jobresult.virtualmachine.id;
    const root = (await admin('listVolumes', { virtualmachineid: vm, type: 'ROOT' })).body.volume[0];
    clusterId = root.clusterid;
  });
  after(() => w.close());

  const volumeWithTags = async (tags: string) => {
    const offering = (
      await admin('createDiskOffering', { name: `do-${tags}`, displaytext: tags, disksize: 1, tags }, 'POST')
    ).body.diskoffering.id;
    const created = await runJob(w, admin, 'createVolume', {
      name: `vol-${tags}`,
      zoneid: w.zones.advanced,
      diskofferingid: offering,
    });
    assert.equal(created.jobstatus, 1, JSON.stringify(created));
    return created.jobresult.volume.id as string;
  };

  it('fails when no pool of the cluster has the tag, and lands on the tagged pool once one does', async () => {
    const untaggable = await volumeWithTags('NFS-B');
    const refused = await runJob(w, admin, 'attachVolume', { id: untaggable, virtualmachineid: vm });
    assert.equal(refused.jobstatus, 2, JSON.stringify(refused));
    assert.equal((await admin('listVolumes', { id: untaggable })).body.volume[0].virtualmachineid, undefined);

    const pod = (await admin('listClusters', { id: clusterId })).body.cluster[0].podid;
    const pool = await admin(
      'createStoragePool',
      {
        zoneid: w.zones.advanced,
        podid: pod,
        clusterid: clusterId,
        name: 'tagged-a',
        url: 'nfs://10.1.1.1/export/tagged-a',
        tags: 'NFS-A',
      },
      'POST',
    );
    assert.equal(pool.status, 200, JSON.stringify(pool.body));
    const tagged = await volumeWithTags('NFS-A');
    const ok = await runJob(w, admin, 'attachVolume', { id: tagged, virtualmachineid: vm });
    assert.equal(ok.jobstatus, 1, JSON.stringify(ok));
    assert.equal((await admin('listVolumes', { id: tagged })).body.volume[0].storageid, pool.body.storagepool.id);
  });

  it('findStoragePoolsForMigration: only the other pools carrying the root offering tags suit a stopped VM root disk (test_primary_storage test_03)', async () => {
    const offering = (
      await admin(
        'createServiceOffering',
        { name: 'so-a', displaytext: 'so-a', cpunumber: 1, cpuspeed: 100, memory: 128, tags: 'NFS-A' },
        'POST',
      )
    ).body.serviceoffering.id;
    const deployed = await runJob(w, admin, 'deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: offering,
      templateid: w.template,
    });
    assert.equal(deployed.jobstatus, 1, JSON.stringify(deployed));
    const tagged = deployed.jobresult.virtualmachine.id;
    const root = (await admin('listVolumes', { virtualmachineid: tagged, type: 'ROOT' })).body.volume[0];
    assert.equal((await runJob(w, admin, 'stopVirtualMachine', { id: tagged })).jobstatus, 1);
    const pod = (await admin('listClusters', { id: root.clusterid })).body.cluster[0].podid;
    const second = (
      await admin(
        'createStoragePool',
        {
          zoneid: w.zones.advanced,
          podid: pod,
          clusterid: root.clusterid,
          name: 'tagged-a2',
          url: 'nfs://10.1.1.2/export/tagged-a2',
          tags: 'NFS-A',
        },
        'POST',
      )
    ).body.storagepool.id;
    const suitable = async () => {
      const r = await admin('findStoragePoolsForMigration', { id: root.id });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const pools = r.body.storagepool as any[];
      assert.ok(!pools.some((p) => p.id === root.storageid), 'the source pool is not an option');
      return pools.filter((p) => p.suitableformigration).map((p) => p.id);
    };
    assert.deepEqual(await suitable(), [second]);
    assert.equal((await admin('updateStoragePool', { id: second, tags: 'NFS-B' }, 'POST')).status, 200);
    assert.deepEqual(await suitable(), []);
  });
});
