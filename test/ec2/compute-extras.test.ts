import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreatePlacementGroupCommand,
  CreateVolumeCommand,
  DeletePlacementGroupCommand,
  DescribeVolumesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribePlacementGroupsCommand,
  DisableEbsEncryptionByDefaultCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand,
  GetEbsEncryptionByDefaultCommand,
  ModifyInstanceAttributeCommand,
  ModifyInstanceMetadataOptionsCommand,
  ModifyInstancePlacementCommand,
  MonitorInstancesCommand,
  ResetInstanceAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  UnmonitorInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  type Instance,
} from '@aws-sdk/client-ec2';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

const ZONE = 'Sandbox-simulator-basic';
const code = (name: string) => (e: { name?: string }) => e.name === name;

/** Placement groups (CloudStack affinity groups) and the instance settings Terraform and the tutorials touch. */
describe('EC2 compute extras through @aws-sdk/client-ec2', () => {
  let s: TestServer;
  let ec2: EC2Client;
  let imageId = '';
  const wait = () => quickWaiter(ec2, 60);
  const describeOne = async (id: string): Promise<Instance> =>
    (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
  const launch = async (extra: Record<string, unknown> = {}) => {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't2.micro',
        Placement: { AvailabilityZone: ZONE },
        ...extra,
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(wait(), { InstanceIds: [id] });
    return id;
  };
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    imageId = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId!;
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  it('placement groups are affinity groups: spread puts instances on different hosts, cluster on one', async () => {
    const spread = (
      await ec2.send(
        new CreatePlacementGroupCommand({
          GroupName: 'pg-spread',
          Strategy: 'spread',
          TagSpecifications: [{ ResourceType: 'placement-group', Tags: [{ Key: 'k', Value: 'v' }] }],
        }),
      )
    ).PlacementGroup!;
    assert.match(spread.GroupId!, /^pg-[0-9a-f]{17}$/);
    assert.deepEqual(
      [spread.GroupName, spread.Strategy, spread.State, spread.Tags],
      ['pg-spread', 'spread', 'available', [{ Key: 'k', Value: 'v' }]],
    );
    assert.match(spread.GroupArn!, /^arn:aws:ec2:us-east-1:\d{12}:placement-group\/pg-spread$/);
    const cluster = (await ec2.send(new CreatePlacementGroupCommand({ GroupName: 'pg-cluster', Strategy: 'cluster' })))
      .PlacementGroup!;
    await assert.rejects(
      ec2.send(new CreatePlacementGroupCommand({ GroupName: 'pg-spread', Strategy: 'spread' })),
      code('InvalidPlacementGroup.Duplicate'),
    );
    await assert.rejects(
      ec2.send(new CreatePlacementGroupCommand({ GroupName: 'pg-part', Strategy: 'partition', PartitionCount: 2 })),
      code('InvalidParameterValue'),
    );

    const cs = await httpLogin(s.endpoint);
    const groups = (await cs.call('listAffinityGroups', {})).body.affinitygroup;
    assert.deepEqual(groups.map((g: any) => [g.name, g.type]).sort(), [
      ['pg-cluster', 'host affinity'],
      ['pg-spread', 'host anti-affinity'],
    ]);

    const listed = (
      await ec2.send(new DescribePlacementGroupsCommand({ Filters: [{ Name: 'strategy', Values: ['cluster'] }] }))
    ).PlacementGroups!;
    assert.deepEqual(
      listed.map((g) => g.GroupId),
      [cluster.GroupId],
    );
    assert.deepEqual(
      (await ec2.send(new DescribePlacementGroupsCommand({ GroupIds: [spread.GroupId!] }))).PlacementGroups!.map(
        (g) => g.GroupName,
      ),
      ['pg-spread'],
    );
    await assert.rejects(
      ec2.send(new DescribePlacementGroupsCommand({ GroupNames: ['nope'] })),
      code('InvalidPlacementGroup.Unknown'),
    );
    await assert.rejects(
      ec2.send(new DescribePlacementGroupsCommand({ GroupIds: ['pg-zzz'] })),
      code('InvalidPlacementGroupId.Malformed'),
    );

    const a = await launch({ Placement: { AvailabilityZone: ZONE, GroupName: 'pg-spread' } });
    const b = await launch({ Placement: { AvailabilityZone: ZONE, GroupName: 'pg-spread' } });
    assert.equal((await describeOne(a)).Placement!.GroupName, 'pg-spread');
    const inGroup = (
      await ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'placement-group-name', Values: ['pg-spread'] }] }),
      )
    ).Reservations!.flatMap((r) => r.Instances!);
    assert.deepEqual(inGroup.map((i) => i.InstanceId).sort(), [a, b].sort());
    const hosts = async (group: string) => {
      const g = (await cs.call('listAffinityGroups', { name: group })).body.affinitygroup[0];
      const vms =
        (await cs.call('listVirtualMachines', { ids: g.virtualmachineIds.join(',') })).body.virtualmachine ?? [];
      return vms.map((v: any) => v.hostid as string);
    };
    const spreadHosts = await hosts('pg-spread');
    assert.equal(spreadHosts.length, 2);
    assert.notEqual(spreadHosts[0], spreadHosts[1], 'spread: one host each');
    // The basic zone has two hosts: a third spread instance has nowhere to go. RunInstances refuses it when
    // CloudStack's deploy job fails within the front's placement watch; a later failure ends the instance terminated.
    const third = await ec2
      .send(
        new RunInstancesCommand({
          ImageId: imageId,
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: ZONE, GroupName: 'pg-spread' },
        }),
      )
      .then(
        (r) => r.Instances![0]!.InstanceId!,
        (e: { name?: string }) => assert.equal(e.name, 'InsufficientInstanceCapacity'),
      );
    if (third) {
      await waitUntilInstanceTerminated(wait(), { InstanceIds: [third] });
      assert.equal((await describeOne(third)).StateReason?.Code, 'Server.InternalError');
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: [third] }));
    }
    await assert.rejects(
      ec2.send(
        new RunInstancesCommand({
          ImageId: imageId,
          MinCount: 1,
          MaxCount: 1,
          Placement: { AvailabilityZone: ZONE, GroupName: 'nope' },
        }),
      ),
      code('InvalidPlacementGroup.Unknown'),
    );
    await assert.rejects(
      ec2.send(new DeletePlacementGroupCommand({ GroupName: 'pg-spread' })),
      code('InvalidPlacementGroup.InUse'),
    );

    // ModifyInstancePlacement: only a stopped instance moves.
    await assert.rejects(
      ec2.send(new ModifyInstancePlacementCommand({ InstanceId: b, GroupName: 'pg-cluster' })),
      code('IncorrectInstanceState'),
    );
    await ec2.send(new StopInstancesCommand({ InstanceIds: [b] }));
    await waitUntilInstanceStopped(wait(), { InstanceIds: [b] });
    assert.equal(
      (await ec2.send(new ModifyInstancePlacementCommand({ InstanceId: b, GroupName: 'pg-cluster' }))).Return,
      true,
    );
    assert.equal((await describeOne(b)).Placement!.GroupName, 'pg-cluster');
    const c = await launch({ Placement: { AvailabilityZone: ZONE, GroupId: cluster.GroupId } });
    assert.equal((await describeOne(c)).Placement!.GroupName, 'pg-cluster');

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [a, b, c] }));
    await waitUntilInstanceTerminated(wait(), { InstanceIds: [a, b, c] });
    await ec2.send(new DeletePlacementGroupCommand({ GroupName: 'pg-spread' }));
    await ec2.send(new DeletePlacementGroupCommand({ GroupName: 'pg-cluster' }));
    assert.deepEqual((await ec2.send(new DescribePlacementGroupsCommand({}))).PlacementGroups, []);
    assert.equal((await cs.call('listAffinityGroups', {})).body.count ?? 0, 0);
  });

  it('metadata options, monitoring and the source/destination check are kept per instance', async () => {
    const id = await launch({ Monitoring: { Enabled: false } });
    await assert.rejects(
      ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })),
      code('InvalidParameterValue'),
    );
    const set = await ec2.send(
      new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'required', HttpPutResponseHopLimit: 3 }),
    );
    assert.deepEqual(
      [
        set.InstanceId,
        set.InstanceMetadataOptions!.State,
        set.InstanceMetadataOptions!.HttpTokens,
        set.InstanceMetadataOptions!.HttpEndpoint,
      ],
      [id, 'pending', 'required', 'enabled'],
    );
    const md = (await describeOne(id)).MetadataOptions!;
    assert.deepEqual(
      [md.State, md.HttpTokens, md.HttpPutResponseHopLimit, md.HttpEndpoint],
      ['applied', 'required', 3, 'enabled'],
    );
    const required = (
      await ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'metadata-options.http-tokens', Values: ['required'] }] }),
      )
    ).Reservations!.flatMap((r) => r.Instances!);
    assert.deepEqual(
      required.map((i) => i.InstanceId),
      [id],
    );
    await assert.rejects(
      ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'required' })),
      code('InvalidInstanceID.NotFound'),
    );

    // The instance's IMDS follows them: IMDSv1 refused once tokens are required, nothing at all once the endpoint is off.
    const imds = `${s.url}/_polystack/instances/${id}/latest`;
    const get = async (token?: string) =>
      (await fetch(`${imds}/meta-data/instance-id`, { headers: token ? { 'x-aws-ec2-metadata-token': token } : {} }))
        .status;
    assert.equal(await get(), 401);
    const token = await (
      await fetch(`${imds}/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })
    ).text();
    assert.equal(await get(token), 200);
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional' }));
    assert.equal(await get(), 200);
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'disabled' }));
    assert.equal(await get(token), 403);
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'enabled' }));

    assert.equal((await describeOne(id)).Monitoring!.State, 'disabled');
    const on = await ec2.send(new MonitorInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(on.InstanceMonitorings, [{ InstanceId: id, Monitoring: { State: 'pending' } }]);
    assert.equal((await describeOne(id)).Monitoring!.State, 'enabled');
    const off = await ec2.send(new UnmonitorInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(off.InstanceMonitorings, [{ InstanceId: id, Monitoring: { State: 'disabling' } }]);
    assert.equal((await describeOne(id)).Monitoring!.State, 'disabled');

    const check = async () =>
      (await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'sourceDestCheck' })))
        .SourceDestCheck!.Value;
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
    assert.equal(await check(), false);
    assert.equal((await describeOne(id)).SourceDestCheck, false);
    await ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'sourceDestCheck' }));
    assert.equal(await check(), true);
    await assert.rejects(
      ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'kernel' })),
      code('IncorrectInstanceState'),
    );
    await assert.rejects(
      ec2.send(new ResetInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' })),
      code('InvalidParameterValue'),
    );

    // Another account sees none of it.
    const tenant = await createTenant(new CsClient(s.endpoint, s.apiKey, s.secretKey), 'extras-other');
    const other = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: tenant.apiKey, secretAccessKey: tenant.secretKey },
    });
    await assert.rejects(
      other.send(new MonitorInstancesCommand({ InstanceIds: [id] })),
      code('InvalidInstanceID.NotFound'),
    );
    await assert.rejects(
      other.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'optional' })),
      code('InvalidInstanceID.NotFound'),
    );
    other.destroy();
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it('instance type offerings by region and zone; EBS encryption by default picks the cloud encrypting disk offerings', async () => {
    const region = (await ec2.send(new DescribeInstanceTypeOfferingsCommand({}))).InstanceTypeOfferings!;
    assert.ok(
      region.some((o) => o.InstanceType === 't2.micro' && o.LocationType === 'region' && o.Location === 'us-east-1'),
    );
    const inZone = (
      await ec2.send(
        new DescribeInstanceTypeOfferingsCommand({
          LocationType: 'availability-zone',
          Filters: [
            { Name: 'location', Values: [ZONE] },
            { Name: 'instance-type', Values: ['t2.*'] },
          ],
        }),
      )
    ).InstanceTypeOfferings!;
    assert.deepEqual(inZone.map((o) => o.InstanceType).sort(), ['t2.medium', 't2.micro', 't2.small']);
    assert.ok(inZone.every((o) => o.Location === ZONE && o.LocationType === 'availability-zone'));

    assert.equal((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, false);
    assert.equal((await ec2.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, true);
    assert.equal((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, true);
    // Volumes follow it through CloudStack 4.18's encrypting disk offerings; without one, an encrypted volume cannot be made.
    await assert.rejects(
      ec2.send(new CreateVolumeCommand({ AvailabilityZone: ZONE, Size: 1 })),
      code('InvalidParameterValue'),
    );
    const cs = await httpLogin(s.endpoint);
    const offering = (
      await cs.call('createDiskOffering', {
        name: 'encrypted-custom',
        displaytext: 'encrypted',
        customized: 'true',
        encrypt: 'true',
      })
    ).body.diskoffering;
    assert.equal(offering.encrypt, true);
    const sealed = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: ZONE, Size: 1, Encrypted: false }));
    assert.equal(sealed.Encrypted, true, 'encryption by default wins over Encrypted=false, as on AWS');
    const [disk] = (
      await cs.call('listVolumes', {
        id: (await cs.call('listVolumes', { listall: 'true' })).body.volume.find(
          (v: any) => v.diskofferingid === offering.id,
        ).id,
      })
    ).body.volume;
    assert.equal(disk.diskofferingname, 'encrypted-custom');
    assert.equal(
      (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [sealed.VolumeId!] }))).Volumes![0]!.Encrypted,
      true,
    );
    assert.equal((await ec2.send(new DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, false);
    assert.equal((await ec2.send(new CreateVolumeCommand({ AvailabilityZone: ZONE, Size: 1 }))).Encrypted, false);
    assert.equal(
      (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: ZONE, Size: 1, Encrypted: true }))).Encrypted,
      true,
    );
    assert.equal((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault, false);
    assert.equal((await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId, 'alias/aws/ebs');
  });
});
