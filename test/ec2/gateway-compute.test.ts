import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CreateLaunchTemplateCommand,
  CreatePlacementGroupCommand,
  DeletePlacementGroupCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribePlacementGroupsCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

const BIN = fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));
const ZONE = 'Sandbox-simulator-basic';

/** Placement groups and launch templates through `polystack ec2-gateway` in front of a separate polystack acting as the remote CloudStack. */
describe('polystack ec2-gateway: placement groups and launch templates', () => {
  let cloud: TestServer;
  let gw: ChildProcess;
  let ec2: EC2Client;
  before(async () => {
    cloud = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    gw = spawn(
      process.execPath,
      [
        BIN,
        'ec2-gateway',
        '--cloudstack',
        cloud.endpoint,
        '--admin-key',
        cloud.apiKey,
        '--admin-secret',
        cloud.secretKey,
        '--port',
        '0',
        '--in-memory',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      gw.stdout!.on('data', (d) => {
        out += d;
        const m = /ready on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      gw.once('exit', (c) => reject(new Error(`gateway exited ${c}`)));
    });
    ec2 = new EC2Client({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: cloud.apiKey, secretAccessKey: cloud.secretKey },
    });
  });
  after(async () => {
    ec2.destroy();
    gw.kill('SIGTERM');
    await cloud.stop();
  });

  it('a placement group is an affinity group of the remote cloud; RunInstances from a launch template deploys into it', async () => {
    const pg = (await ec2.send(new CreatePlacementGroupCommand({ GroupName: 'gw-spread', Strategy: 'spread' })))
      .PlacementGroup!;
    const cs = await httpLogin(cloud.endpoint);
    const [ag] = (await cs.call('listAffinityGroups', {})).body.affinitygroup;
    assert.deepEqual([ag.name, ag.type], ['gw-spread', 'host anti-affinity']);
    assert.deepEqual(
      (await ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['gw-spread'] }))).PlacementGroups!.map((g) => [
        g.GroupId,
        g.Strategy,
      ]),
      [[pg.GroupId, 'spread']],
    );

    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const t = (
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'gw-lt',
          LaunchTemplateData: {
            ImageId: image!.ImageId,
            InstanceType: 't2.micro',
            Placement: { AvailabilityZone: ZONE, GroupName: 'gw-spread' },
            MetadataOptions: { HttpTokens: 'required' },
            TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'via', Value: 'gateway' }] }],
          },
        }),
      )
    ).LaunchTemplate!;
    const run = await ec2.send(
      new RunInstancesCommand({ MinCount: 2, MaxCount: 2, LaunchTemplate: { LaunchTemplateId: t.LaunchTemplateId } }),
    );
    const ids = run.Instances!.map((i) => i.InstanceId!);
    await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: ids });
    const shown = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap(
      (r) => r.Instances!,
    );
    assert.deepEqual(
      shown.map((i) => [i.Placement!.GroupName, i.InstanceType, i.MetadataOptions!.HttpTokens]),
      [
        ['gw-spread', 't2.micro', 'required'],
        ['gw-spread', 't2.micro', 'required'],
      ],
    );

    // The remote cloud placed both VMs in the affinity group, on different hosts, with the template's tag.
    const vms = (await cs.call('listVirtualMachines', { 'tags[0].key': 'via', 'tags[0].value': 'gateway' })).body
      .virtualmachine;
    assert.equal(vms.length, 2);
    assert.ok(vms.every((v: any) => v.affinitygroup?.[0]?.name === 'gw-spread'));
    assert.notEqual(vms[0].hostid, vms[1].hostid);

    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: ids[0], HttpTokens: 'optional' }));
    assert.equal(
      (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]!] }))).Reservations![0]!.Instances![0]!
        .MetadataOptions!.HttpTokens,
      'optional',
    );

    await assert.rejects(
      ec2.send(new DeletePlacementGroupCommand({ GroupName: 'gw-spread' })),
      (e: { name?: string }) => e.name === 'InvalidPlacementGroup.InUse',
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    await waitUntilInstanceTerminated(quickWaiter(ec2, 60), { InstanceIds: ids });
    await ec2.send(new DeletePlacementGroupCommand({ GroupName: 'gw-spread' }));
    assert.equal((await cs.call('listAffinityGroups', {})).body.count ?? 0, 0);
  });
});
