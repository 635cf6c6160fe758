import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

/**
 * CloudStack lists zones, pods and clusters by their internal id, which is creation order. On the
 * test clock every row is made in the same millisecond, so neither `created`, the name nor the uuid
 * may decide the order: names here run against creation order.
 */
describe('zones, pods and clusters keep creation order', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('lists zones as created and names the Nth zone by N', async () => {
    const before = (await admin('listZones', {})).body.zone as any[];
    const made: string[] = [];
    for (const name of ['zz-last-by-name', 'mm-middle', 'aa-first-by-name']) {
      const r = await admin('createZone', { name, dns1: '8.8.8.8', internaldns1: '10.0.0.1', networktype: 'Advanced' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      made.push(r.body.zone.id);
    }
    const after = (await admin('listZones', {})).body.zone as any[];
    assert.deepEqual(
      after.map((z) => z.id),
      [...before.map((z) => z.id), ...made],
    );
    for (const [i, id] of after.map((z) => z.id).entries()) {
      assert.deepEqual(
        (await admin('listZones', { id: i + 1 })).body.zone.map((z: any) => z.id),
        [id],
      );
    }
  });

  it('lists pods and clusters as created', async () => {
    const zone = (
      await admin('createZone', { name: 'ordered', dns1: '8.8.8.8', internaldns1: '10.0.0.1', networktype: 'Advanced' })
    ).body.zone;
    const pods: string[] = [];
    for (const [i, name] of ['p-z', 'p-a'].entries()) {
      const r = await admin('createPod', {
        zoneid: zone.id,
        name,
        gateway: `10.9.${i}.1`,
        netmask: '255.255.255.0',
        startip: `10.9.${i}.10`,
        endip: `10.9.${i}.20`,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      pods.push(r.body.pod.id);
    }
    assert.deepEqual(
      (await admin('listPods', { zoneid: zone.id })).body.pod.map((p: any) => p.id),
      pods,
    );
    const clusters: string[] = [];
    for (const name of ['c-z', 'c-a']) {
      const r = await admin('addCluster', {
        zoneid: zone.id,
        podid: pods[0]!,
        clustername: name,
        clustertype: 'CloudManaged',
        hypervisor: 'Simulator',
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      clusters.push(r.body.cluster[0].id);
    }
    assert.deepEqual(
      (await admin('listClusters', { zoneid: zone.id })).body.cluster.map((c: any) => c.id),
      clusters,
    );
  });
});
