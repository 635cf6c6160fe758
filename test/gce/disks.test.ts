import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { googleCompute } from './googleapis-client.js';

const ZONE = 'sandbox-simulator-basic';
const GiB = 2 ** 30;

/** Disks and images written through googleapis (Node), checked through CloudStack too. */
describe('GCE front: disks and images through googleapis (Node)', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  let cs: HttpSession;
  const project = 'admin';
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    gce = await googleCompute(s);
    cs = await httpLogin(s.endpoint);
  });
  after(() => s.stop());

  const done = (op: compute_v1.Schema$Operation, status: compute_v1.Schema$Operation) => {
    assert.equal(status.status, 'DONE');
    assert.equal(status.error, undefined, JSON.stringify(status.error));
    assert.equal(status.name, op.name);
    return status;
  };
  const wait = async (op: compute_v1.Schema$Operation) =>
    done(op, (await gce.zoneOperations.wait({ project, zone: ZONE, operation: op.name! })).data);
  const waitGlobal = async (op: compute_v1.Schema$Operation) =>
    done(op, (await gce.globalOperations.wait({ project, operation: op.name! })).data);
  /** A request Google refuses: its HTTP status and errors[0].reason. */
  const refused = (p: Promise<unknown>, code: number, reason: string) =>
    assert.rejects(p, (e: any) => {
      assert.equal(e.code, code, e.message);
      assert.equal(e.response.data.error.errors[0].reason, reason, e.message);
      return true;
    });
  const volume = async (name: string) => (await cs.call('listVolumes', { name })).body.volume ?? [];
  const disk = async (name: string) => (await gce.disks.get({ project, zone: ZONE, disk: name })).data;

  it('inserts, attaches, detaches, resizes, labels and deletes a disk, refusing what Google refuses', async () => {
    const ubuntu = (await gce.images.getFromFamily({ project: 'ubuntu-os-cloud', family: 'ubuntu-2204-lts' })).data;
    await wait(
      (
        await gce.instances.insert({
          project,
          zone: ZONE,
          requestBody: {
            name: 'db-1',
            machineType: `zones/${ZONE}/machineTypes/small-instance`,
            disks: [{ boot: true, initializeParams: { sourceImage: ubuntu.selfLink } }],
          },
        })
      ).data,
    );

    const insert = (
      await gce.disks.insert({
        project,
        zone: ZONE,
        requestBody: {
          name: 'data-1',
          sizeGb: '20',
          type: `zones/${ZONE}/diskTypes/pd-ssd`,
          description: 'scratch',
          labels: { tier: 'db' },
        },
      })
    ).data;
    assert.equal(insert.operationType, 'insert');
    assert.match(insert.targetLink!, /\/zones\/sandbox-simulator-basic\/disks\/data-1$/);
    await wait(insert);
    let d = await disk('data-1');
    assert.deepEqual(
      [d.sizeGb, d.status, d.description, d.labels, d.users, d.id],
      ['20', 'READY', 'scratch', { tier: 'db' }, undefined, insert.targetId],
    );
    assert.match(d.type!, /\/diskTypes\/pd-ssd$/);
    let [vol] = await volume('data-1');
    assert.equal(vol.size, 20 * GiB);
    assert.equal(vol.virtualmachineid, undefined);

    // Refused before anything reaches CloudStack: duplicate name, unknown type, bad name, an image source.
    await refused(
      gce.disks.insert({ project, zone: ZONE, requestBody: { name: 'data-1', sizeGb: '5' } }),
      409,
      'alreadyExists',
    );
    await refused(
      gce.disks.insert({
        project,
        zone: ZONE,
        requestBody: { name: 'data-2', type: `zones/${ZONE}/diskTypes/pd-nope` },
      }),
      404,
      'notFound',
    );
    await refused(gce.disks.insert({ project, zone: ZONE, requestBody: { name: 'Data_2' } }), 400, 'invalid');
    await refused(
      gce.disks.insert({ project, zone: ZONE, sourceImage: ubuntu.selfLink!, requestBody: { name: 'data-2' } }),
      400,
      'unsupportedOperation',
    );
    assert.equal((await volume('data-1')).length, 1);
    assert.equal((await volume('data-2')).length, 0);

    await wait(
      (
        await gce.instances.attachDisk({
          project,
          zone: ZONE,
          instance: 'db-1',
          requestBody: { source: d.selfLink, deviceName: 'data', autoDelete: false },
        })
      ).data,
    );
    let vm = (await gce.instances.get({ project, zone: ZONE, instance: 'db-1' })).data;
    const attached = vm.disks!.find((x) => x.source === d.selfLink)!;
    assert.deepEqual(
      [attached.deviceName, attached.index, attached.boot, attached.autoDelete, attached.diskSizeGb],
      ['data', 1, false, false, '20'],
    );
    assert.deepEqual((await disk('data-1')).users, [vm.selfLink]);
    [vol] = await volume('data-1');
    assert.equal(
      vol.virtualmachineid,
      (await cs.call('listVirtualMachines', { name: 'db-1' })).body.virtualmachine[0].id,
    );

    await refused(gce.disks.delete({ project, zone: ZONE, disk: 'data-1' }), 400, 'resourceInUseByAnotherResource');
    await refused(
      gce.instances.attachDisk({ project, zone: ZONE, instance: 'db-1', requestBody: { source: d.selfLink } }),
      400,
      'resourceInUseByAnotherResource',
    );
    await refused(
      gce.instances.detachDisk({ project, zone: ZONE, instance: 'db-1', deviceName: 'nope' }),
      400,
      'invalid',
    );
    await wait((await gce.instances.detachDisk({ project, zone: ZONE, instance: 'db-1', deviceName: 'data' })).data);
    d = await disk('data-1');
    assert.equal(d.users, undefined);
    assert.ok(d.lastDetachTimestamp);
    assert.equal((await volume('data-1'))[0].virtualmachineid, undefined);
    vm = (await gce.instances.get({ project, zone: ZONE, instance: 'db-1' })).data;
    assert.deepEqual(
      vm.disks!.map((x) => x.boot),
      [true],
    );

    await refused(
      gce.disks.resize({ project, zone: ZONE, disk: 'data-1', requestBody: { sizeGb: '10' } }),
      400,
      'invalid',
    );
    const resize = (await gce.disks.resize({ project, zone: ZONE, disk: 'data-1', requestBody: { sizeGb: '30' } }))
      .data;
    assert.equal((await wait(resize)).operationType, 'resizeDisk');
    assert.equal((await disk('data-1')).sizeGb, '30');
    assert.equal((await volume('data-1'))[0].size, 30 * GiB);

    await refused(
      gce.disks.setLabels({
        project,
        zone: ZONE,
        resource: 'data-1',
        requestBody: { labels: { tier: 'x' }, labelFingerprint: 'stale' },
      }),
      412,
      'conditionNotMet',
    );
    d = await disk('data-1');
    await wait(
      (
        await gce.disks.setLabels({
          project,
          zone: ZONE,
          resource: 'data-1',
          requestBody: { labels: { tier: 'cache', env: 'dev' }, labelFingerprint: d.labelFingerprint },
        })
      ).data,
    );
    assert.deepEqual((await disk('data-1')).labels, { env: 'dev', tier: 'cache' });

    // A disk attached without a device name gets Google's persistent-disk-N.
    await wait(
      (
        await gce.instances.attachDisk({
          project,
          zone: ZONE,
          instance: 'db-1',
          requestBody: { source: `zones/${ZONE}/disks/data-1` },
        })
      ).data,
    );
    vm = (await gce.instances.get({ project, zone: ZONE, instance: 'db-1' })).data;
    assert.equal(vm.disks![1]!.deviceName, 'persistent-disk-1');
    await wait(
      (await gce.instances.detachDisk({ project, zone: ZONE, instance: 'db-1', deviceName: 'persistent-disk-1' })).data,
    );

    const del = (await gce.disks.delete({ project, zone: ZONE, disk: 'data-1' })).data;
    assert.equal((await wait(del)).operationType, 'delete');
    await refused(disk('data-1'), 404, 'notFound');
    assert.equal((await volume('data-1')).length, 0);
  });

  it('makes an image from a disk and from a file, and deletes them', async () => {
    await wait((await gce.disks.insert({ project, zone: ZONE, requestBody: { name: 'golden', sizeGb: '8' } })).data);
    const golden = await disk('golden');
    // CloudStack writes a new volume out at its first attach: until then no image can be made of it.
    await refused(
      gce.images.insert({ project, requestBody: { name: 'golden-image', sourceDisk: golden.selfLink } }),
      400,
      'unsupportedOperation',
    );
    await wait(
      (
        await gce.instances.attachDisk({
          project,
          zone: ZONE,
          instance: 'db-1',
          requestBody: { source: golden.selfLink, deviceName: 'golden' },
        })
      ).data,
    );
    await refused(
      gce.images.insert({ project, requestBody: { name: 'golden-image', sourceDisk: golden.selfLink } }),
      400,
      'resourceInUseByAnotherResource',
    );
    await wait((await gce.instances.detachDisk({ project, zone: ZONE, instance: 'db-1', deviceName: 'golden' })).data);

    const insert = (
      await gce.images.insert({
        project,
        requestBody: {
          name: 'golden-image',
          sourceDisk: golden.selfLink,
          family: 'golden',
          description: 'from golden',
        },
      })
    ).data;
    assert.equal(insert.zone, undefined);
    await waitGlobal(insert);
    const image = (await gce.images.get({ project, image: 'golden-image' })).data;
    assert.deepEqual(
      [image.status, image.family, image.description, image.sourceDisk, image.sourceDiskId, image.id],
      ['READY', 'golden', 'from golden', golden.selfLink, golden.id, insert.targetId],
    );
    assert.equal((await gce.images.getFromFamily({ project, family: 'golden' })).data.name, 'golden-image');
    const [template] = (await cs.call('listTemplates', { templatefilter: 'self', name: 'golden-image' })).body.template;
    assert.equal(template.size, 8 * GiB);
    await refused(
      gce.images.insert({ project, requestBody: { name: 'golden-image', sourceDisk: golden.selfLink } }),
      409,
      'alreadyExists',
    );
    await refused(gce.images.insert({ project, requestBody: { name: 'no-source' } }), 400, 'invalid');

    const raw = (
      await gce.images.insert({
        project,
        requestBody: { name: 'raw-image', rawDisk: { source: 'http://images.example/disk.tar.gz' } },
      })
    ).data;
    await waitGlobal(raw);
    assert.equal((await gce.images.get({ project, image: 'raw-image' })).data.status, 'READY');

    for (const name of ['golden-image', 'raw-image']) {
      await waitGlobal((await gce.images.delete({ project, image: name })).data);
      await refused(gce.images.get({ project, image: name }), 404, 'notFound');
    }
    assert.equal(
      (await cs.call('listTemplates', { templatefilter: 'self', name: 'golden-image' })).body.template,
      undefined,
    );
  });

  it('lists the new methods in the discovery document', async () => {
    const doc = (await (await fetch(`${s.url}/discovery/v1/apis/compute/v1/rest`)).json()) as any;
    for (const [resource, method] of [
      ['disks', 'insert'],
      ['disks', 'delete'],
      ['disks', 'resize'],
      ['disks', 'setLabels'],
      ['instances', 'attachDisk'],
      ['instances', 'detachDisk'],
      ['images', 'insert'],
      ['images', 'delete'],
    ]) {
      assert.ok(doc.resources[resource!].methods[method!], `${resource}.${method}`);
    }
    assert.deepEqual(doc.resources.instances.methods.detachDisk.parameterOrder, [
      'project',
      'zone',
      'instance',
      'deviceName',
    ]);
    assert.equal(doc.schemas.DisksResizeRequest.properties.sizeGb.format, 'int64');
  });
});
