import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
} from '@aws-sdk/client-ec2';
import { google, type compute_v1 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

const ZONE = 'Sandbox-simulator-basic';
const GZONE = 'sandbox-simulator-basic';
const project = 'admin';

/** One VM, three fronts: what one front makes, the other two show with the same state and address. */
describe('a VM is the same VM through EC2, GCE and CloudStack', () => {
  let s: TestServer;
  let ec2: EC2Client;
  let gce: compute_v1.Compute;
  let cs: HttpSession;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '10' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    const token = (await (
      await fetch(`${s.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: s.apiKey,
          client_secret: s.secretKey,
        }),
      })
    ).json()) as { access_token: string };
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: token.access_token });
    gce = google.compute({ version: 'v1', auth, rootUrl: `${s.url}/` });
    cs = await httpLogin(s.endpoint);
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  const ec2Instance = async (id: string) =>
    (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
  const csVm = async (name: string) =>
    (await cs.call('listVirtualMachines', { name, listall: 'true' })).body.virtualmachine.find(
      (v: any) => v.name === name,
    );

  it('EC2 RunInstances → GCE instances.get and CloudStack listVirtualMachines; an EC2 stop shows TERMINATED and Stopped', async () => {
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 'm1.small',
        Placement: { AvailabilityZone: ZONE },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'from-ec2' }] }],
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(quickWaiter(ec2, 20), {
      InstanceIds: [id],
    });
    const inst = await ec2Instance(id);
    const vm = (await cs.call('listVirtualMachines', {})).body.virtualmachine.find(
      (v: any) => v.ipaddress === inst.PrivateIpAddress,
    );
    assert.equal(vm.state, 'Running');
    assert.equal(vm.ipaddress, inst.PrivateIpAddress);
    const g = (await gce.instances.get({ project, zone: GZONE, instance: vm.name.toLowerCase() })).data;
    assert.equal(g.status, 'RUNNING');
    assert.equal(g.networkInterfaces![0]!.networkIP, inst.PrivateIpAddress);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await waitUntilInstanceStopped(quickWaiter(ec2, 20), {
      InstanceIds: [id],
    });
    assert.equal((await csVm(vm.name)).state, 'Stopped');
    assert.equal(
      (await gce.instances.get({ project, zone: GZONE, instance: vm.name.toLowerCase() })).data.status,
      'TERMINATED',
    );
  });

  it('GCE instances.insert → EC2 DescribeInstances (running, same address) and CloudStack; after a GCE delete EC2 no longer knows it', async () => {
    const image = (await gce.images.list({ project })).data.items!.find(
      (i) => i.name === 'centos-5-3-64-bit-no-gui-simulator',
    )!;
    const op = (
      await gce.instances.insert({
        project,
        zone: GZONE,
        requestBody: {
          name: 'from-gce',
          machineType: `zones/${GZONE}/machineTypes/small-instance`,
          disks: [{ boot: true, initializeParams: { sourceImage: image.selfLink } }],
          networkInterfaces: [{ network: 'global/networks/default' }],
        },
      })
    ).data;
    assert.equal((await gce.zoneOperations.wait({ project, zone: GZONE, operation: op.name! })).data.status, 'DONE');
    const g = (await gce.instances.get({ project, zone: GZONE, instance: 'from-gce' })).data;
    assert.equal(g.status, 'RUNNING');
    const vm = await csVm('from-gce');
    assert.equal(vm.state, 'Running');
    const found = (
      await ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: 'private-ip-address', Values: [g.networkInterfaces![0]!.networkIP!] }],
        }),
      )
    ).Reservations!.flatMap((r) => r.Instances!);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.State!.Name, 'running');
    assert.equal(found[0]!.Placement!.AvailabilityZone, ZONE);

    const del = (await gce.instances.delete({ project, zone: GZONE, instance: 'from-gce' })).data;
    assert.equal((await gce.zoneOperations.wait({ project, zone: GZONE, operation: del.name! })).data.status, 'DONE');
    // Expunged by another front, the VM is gone from CloudStack, and EC2 only keeps instances it
    // terminated itself (src/ec2/GAPS.md): it answers as AWS does for an instance long gone.
    await assert.rejects(ec2Instance(found[0]!.InstanceId!), (e: any) => e.name === 'InvalidInstanceID.NotFound');
  });
});
