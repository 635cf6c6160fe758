import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { googleCompute } from './googleapis-client.js';

const ZONE = 'sandbox-simulator-basic';
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBvbHlzdGFjay1nb29nbGVhcGlzLXRlc3Qta2V5LTAx alice@laptop';

/** The googleapis Node client (`rootUrl`), authorized with a token from polystack's token endpoint (client_credentials). */
describe('GCE front through googleapis (Node)', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  const project = 'admin';
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    gce = await googleCompute(s);
  });
  after(() => s.stop());

  const wait = async (op: compute_v1.Schema$Operation) => {
    const done = (await gce.zoneOperations.wait({ project, zone: ZONE, operation: op.name! })).data;
    assert.equal(done.status, 'DONE');
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    return done;
  };

  it('runs the scenario: catalog, firewall, instance lifecycle, labels, metadata, serial port, delete', async () => {
    const zones = (await gce.zones.list({ project })).data.items!.map((z) => z.name);
    assert.deepEqual(zones, ['sandbox-simulator-advanced', 'sandbox-simulator-basic']);
    const types = (await gce.machineTypes.list({ project, zone: ZONE })).data.items!;
    const small = types.find((t) => t.name === 'small-instance')!;
    assert.equal(small.guestCpus, 1);
    assert.equal(small.memoryMb, 512);
    const images = (await gce.images.list({ project })).data.items!;
    assert.ok(images.some((i) => i.name === 'ubuntu-22-04-simulator' && i.status === 'READY'));
    const ubuntu = (await gce.images.getFromFamily({ project: 'ubuntu-os-cloud', family: 'ubuntu-2204-lts' })).data;
    assert.equal(ubuntu.name, 'ubuntu-22-04-simulator');

    const fw = (
      await gce.firewalls.insert({
        project,
        requestBody: {
          name: 'allow-ssh',
          allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
          sourceRanges: ['10.0.0.0/8'],
          targetTags: ['ssh'],
        },
      })
    ).data;
    assert.equal((await gce.globalOperations.wait({ project, operation: fw.name! })).data.status, 'DONE');
    const got = (await gce.firewalls.get({ project, firewall: 'allow-ssh' })).data;
    assert.deepEqual(
      [got.allowed, got.sourceRanges, got.targetTags],
      [[{ IPProtocol: 'tcp', ports: ['22'] }], ['10.0.0.0/8'], ['ssh']],
    );

    const insert = (
      await gce.instances.insert({
        project,
        zone: ZONE,
        requestBody: {
          name: 'web-1',
          machineType: `zones/${ZONE}/machineTypes/small-instance`,
          tags: { items: ['ssh'] },
          labels: { env: 'dev' },
          disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: ubuntu.selfLink } }],
          networkInterfaces: [
            { network: 'global/networks/default', accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT' }] },
          ],
          metadata: {
            items: [
              { key: 'startup-script', value: '#!/bin/bash\necho started-by-googleapis' },
              { key: 'ssh-keys', value: `alice:${SSH_KEY}` },
            ],
          },
        },
      })
    ).data;
    assert.equal(insert.operationType, 'insert');
    assert.match(insert.targetId!, /^\d+$/);
    await wait(insert);
    let vm = (await gce.instances.get({ project, zone: ZONE, instance: 'web-1' })).data;
    assert.equal(vm.status, 'RUNNING');
    assert.equal(vm.id, insert.targetId);
    assert.deepEqual(vm.labels, { env: 'dev' });
    assert.match(vm.machineType!, /^https:\/\/.*\/zones\/sandbox-simulator-basic\/machineTypes\/small-instance$/);

    // The same VM through CloudStack: running, with its key pair, the firewall's security group and its label.
    const cs = await httpLogin(s.endpoint);
    const csVm = (await cs.call('listVirtualMachines', { name: 'web-1' })).body.virtualmachine[0];
    assert.equal(csVm.state, 'Running');
    assert.match(csVm.keypairs, /^gce-alice-/);
    assert.ok(csVm.securitygroup.some((g: any) => g.name === 'allow-ssh'));
    assert.deepEqual(
      csVm.tags.map((t: any) => [t.key, t.value]),
      [['env', 'dev']],
    );

    await wait((await gce.instances.stop({ project, zone: ZONE, instance: 'web-1' })).data);
    assert.equal((await gce.instances.get({ project, zone: ZONE, instance: 'web-1' })).data.status, 'TERMINATED');
    assert.equal((await cs.call('listVirtualMachines', { name: 'web-1' })).body.virtualmachine[0].state, 'Stopped');
    await wait((await gce.instances.start({ project, zone: ZONE, instance: 'web-1' })).data);
    await wait((await gce.instances.reset({ project, zone: ZONE, instance: 'web-1' })).data);
    assert.equal((await gce.instances.get({ project, zone: ZONE, instance: 'web-1' })).data.status, 'RUNNING');

    vm = (await gce.instances.get({ project, zone: ZONE, instance: 'web-1' })).data;
    await wait(
      (
        await gce.instances.setLabels({
          project,
          zone: ZONE,
          instance: 'web-1',
          requestBody: { labels: { env: 'prod', team: 'a' }, labelFingerprint: vm.labelFingerprint },
        })
      ).data,
    );
    await wait(
      (
        await gce.instances.setMetadata({
          project,
          zone: ZONE,
          instance: 'web-1',
          requestBody: {
            fingerprint: vm.metadata!.fingerprint,
            items: [...vm.metadata!.items!, { key: 'role', value: 'web' }],
          },
        })
      ).data,
    );
    vm = (await gce.instances.get({ project, zone: ZONE, instance: 'web-1' })).data;
    assert.deepEqual(vm.labels, { env: 'prod', team: 'a' });
    assert.equal(vm.metadata!.items!.find((i) => i.key === 'role')?.value, 'web');
    const filtered = (await gce.instances.list({ project, zone: ZONE, filter: 'labels.env = prod' })).data.items ?? [];
    assert.deepEqual(
      filtered.map((i) => i.name),
      ['web-1'],
    );

    const serial = (await gce.instances.getSerialPortOutput({ project, zone: ZONE, instance: 'web-1' })).data;
    assert.match(serial.contents!, /\+ echo started-by-googleapis/);
    assert.match(serial.contents!, new RegExp(`booting web-1 \\(${vm.id}\\)`));

    await wait((await gce.instances.delete({ project, zone: ZONE, instance: 'web-1' })).data);
    await assert.rejects(
      gce.instances.get({ project, zone: ZONE, instance: 'web-1' }),
      (e: any) => e.code === 404 && /was not found/.test(e.message),
    );
  });

  it('shows a VM created through CloudStack, in the same state', async () => {
    const cs = await httpLogin(s.endpoint);
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-advanced' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Medium Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'From-CloudStack',
    });
    for (
      let i = 0;
      i < 300 && (await cs.call('queryAsyncJobResult', { jobid: d.body.jobid })).body.jobstatus === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    const vm = (await gce.instances.get({ project, zone: 'sandbox-simulator-advanced', instance: 'from-cloudstack' }))
      .data;
    assert.equal(vm.status, 'RUNNING');
    assert.match(vm.machineType!, /machineTypes\/medium-instance$/);
    assert.equal(
      vm.networkInterfaces![0]!.networkIP,
      (await cs.call('listVirtualMachines', { id: d.body.id })).body.virtualmachine[0].ipaddress,
    );
    const agg = (await gce.instances.aggregatedList({ project })).data.items!;
    assert.deepEqual(
      agg['zones/sandbox-simulator-advanced']!.instances!.map((i) => i.name),
      ['from-cloudstack'],
    );
  });
});
