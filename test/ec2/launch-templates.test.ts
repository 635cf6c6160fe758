import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  GetLaunchTemplateDataCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

const ZONE = 'Sandbox-simulator-basic';
const code = (name: string) => (e: { name?: string }) => e.name === name;

/** Launch templates live in the EC2 front's own store, so they work in front of any CloudStack; RunInstances merges them under the call. */
describe('EC2 launch templates through @aws-sdk/client-ec2', () => {
  let s: TestServer;
  let ec2: EC2Client;
  let other: EC2Client;
  let imageId = '';
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    const tenant = await createTenant(new CsClient(s.endpoint, s.apiKey, s.secretKey), 'lt-other');
    other = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: tenant.apiKey, secretAccessKey: tenant.secretKey },
    });
    imageId = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId!;
  });
  after(async () => {
    ec2.destroy();
    other.destroy();
    await s.stop();
  });

  it('creates, versions, describes, modifies and deletes templates with AWS shapes and errors', async () => {
    const made = (
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'web-lt',
          VersionDescription: 'first',
          LaunchTemplateData: { ImageId: imageId, InstanceType: 't2.micro', Placement: { AvailabilityZone: ZONE } },
          TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'web' }] }],
        }),
      )
    ).LaunchTemplate!;
    assert.match(made.LaunchTemplateId!, /^lt-[0-9a-f]{17}$/);
    assert.deepEqual(
      [made.LaunchTemplateName, made.DefaultVersionNumber, made.LatestVersionNumber, made.Tags],
      ['web-lt', 1, 1, [{ Key: 'team', Value: 'web' }]],
    );
    assert.match(made.CreatedBy!, /^arn:aws:iam::\d{12}:root$/);
    assert.ok(made.CreateTime instanceof Date);

    await assert.rejects(
      ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'web-lt',
          LaunchTemplateData: { InstanceType: 't2.micro' },
        }),
      ),
      code('InvalidLaunchTemplateName.AlreadyExistsException'),
    );
    await assert.rejects(
      ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'a b',
          LaunchTemplateData: { InstanceType: 't2.micro' },
        }),
      ),
      code('InvalidLaunchTemplateName.MalformedException'),
    );

    const v2 = (
      await ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: made.LaunchTemplateId,
          SourceVersion: '1',
          VersionDescription: 'bigger',
          LaunchTemplateData: { InstanceType: 't2.small' },
        }),
      )
    ).LaunchTemplateVersion!;
    assert.deepEqual(
      [v2.VersionNumber, v2.DefaultVersion, v2.LaunchTemplateData!.ImageId, v2.LaunchTemplateData!.InstanceType],
      [2, false, imageId, 't2.small'],
    );
    const v3 = (
      await ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateName: 'web-lt',
          LaunchTemplateData: { InstanceType: 't2.medium' },
        }),
      )
    ).LaunchTemplateVersion!;
    assert.equal(v3.LaunchTemplateData!.ImageId, undefined, 'without SourceVersion a version starts empty');

    const versions = async (Versions?: string[]) =>
      (
        await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web-lt', Versions }))
      ).LaunchTemplateVersions!.map((v) => v.VersionNumber);
    assert.deepEqual(await versions(), [1, 2, 3]);
    assert.deepEqual(await versions(['$Latest']), [3]);
    assert.deepEqual(await versions(['$Default']), [1]);
    await assert.rejects(versions(['9']), code('InvalidLaunchTemplateId.VersionNotFound'));

    const modified = (
      await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: made.LaunchTemplateId, DefaultVersion: '2' }))
    ).LaunchTemplate!;
    assert.deepEqual([modified.DefaultVersionNumber, modified.LatestVersionNumber], [2, 3]);
    assert.deepEqual(await versions(['$Default']), [2]);
    await assert.rejects(
      ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: made.LaunchTemplateId, DefaultVersion: '8' })),
      code('InvalidLaunchTemplateId.VersionNotFound'),
    );

    const listed = (
      await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:team', Values: ['web'] }] }))
    ).LaunchTemplates!;
    assert.deepEqual(
      listed.map((t) => [t.LaunchTemplateId, t.DefaultVersionNumber, t.LatestVersionNumber]),
      [[made.LaunchTemplateId, 2, 3]],
    );
    await assert.rejects(
      ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] })),
      code('InvalidLaunchTemplateId.NotFound'),
    );
    await assert.rejects(
      ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope-lt'] })),
      code('InvalidLaunchTemplateName.NotFoundException'),
    );
    await assert.rejects(
      ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-zzz'] })),
      code('InvalidLaunchTemplateId.Malformed'),
    );

    const del = await ec2.send(
      new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web-lt', Versions: ['1', '2', '7'] }),
    );
    assert.deepEqual(
      del.SuccessfullyDeletedLaunchTemplateVersions!.map((v) => v.VersionNumber),
      [1],
    );
    assert.deepEqual(
      del.UnsuccessfullyDeletedLaunchTemplateVersions!.map((v) => [v.VersionNumber, v.ResponseError!.Code]),
      [
        [2, 'unexpectedError'],
        [7, 'launchTemplateVersionDoesNotExist'],
      ],
    );
    assert.deepEqual(await versions(), [2, 3]);

    const gone = (await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: made.LaunchTemplateId })))
      .LaunchTemplate!;
    assert.equal(gone.LaunchTemplateName, 'web-lt');
    await assert.rejects(
      ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [made.LaunchTemplateId!] })),
      code('InvalidLaunchTemplateId.NotFound'),
    );
    await assert.rejects(
      ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'web-lt' })),
      code('InvalidLaunchTemplateName.NotFoundException'),
    );
  });

  it('RunInstances from a template: the call wins member by member; GetLaunchTemplateData gives the instance back as template data', async () => {
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'lt-key' }));
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lt-web', Description: 'web' }));
    const userData = Buffer.from('#!/bin/sh\necho from-template\n').toString('base64');
    const t = (
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'app-lt',
          LaunchTemplateData: {
            ImageId: imageId,
            InstanceType: 't2.micro',
            KeyName: 'lt-key',
            UserData: userData,
            SecurityGroupIds: [GroupId!],
            Placement: { AvailabilityZone: ZONE },
            MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
            Monitoring: { Enabled: true },
            TagSpecifications: [
              {
                ResourceType: 'instance',
                Tags: [
                  { Key: 'role', Value: 'app' },
                  { Key: 'Name', Value: 'from-template' },
                ],
              },
            ],
          },
        }),
      )
    ).LaunchTemplate!;
    const run = await ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't2.small',
        LaunchTemplate: { LaunchTemplateName: 'app-lt', Version: '$Latest' },
      }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: [iid] });
    const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [iid] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(
      [i.ImageId, i.InstanceType, i.KeyName, i.Placement!.AvailabilityZone],
      [imageId, 't2.small', 'lt-key', ZONE],
    );
    assert.deepEqual(i.SecurityGroups, [{ GroupName: 'lt-web', GroupId }]);
    const tags = Object.fromEntries(i.Tags!.map((x) => [x.Key, x.Value]));
    assert.deepEqual(tags, {
      role: 'app',
      Name: 'from-template',
      'aws:ec2launchtemplate:id': t.LaunchTemplateId,
      'aws:ec2launchtemplate:version': '1',
    });
    assert.deepEqual(
      [i.MetadataOptions!.HttpTokens, i.MetadataOptions!.HttpPutResponseHopLimit, i.MetadataOptions!.State],
      ['required', 2, 'applied'],
    );
    assert.equal(i.Monitoring!.State, 'enabled');

    // CloudStack deployed what the template said.
    const cs = await httpLogin(s.endpoint);
    const [vm] = (await cs.call('listVirtualMachines', { 'tags[0].key': 'role', 'tags[0].value': 'app' })).body
      .virtualmachine;
    assert.deepEqual(
      [vm.keypairs, vm.displayname, vm.serviceofferingname],
      ['lt-key', 'from-template', 'Medium Instance'],
    );
    const ud = (await cs.call('getVirtualMachineUserData', { virtualmachineid: vm.id })).body.virtualmachineuserdata
      .userdata;
    assert.equal(ud, userData);

    const data = (await ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: iid }))).LaunchTemplateData!;
    assert.deepEqual(
      [data.ImageId, data.InstanceType, data.KeyName, data.UserData, data.Placement!.AvailabilityZone],
      [imageId, 't2.small', 'lt-key', userData, ZONE],
    );
    assert.deepEqual(data.NetworkInterfaces![0]!.Groups, [GroupId]);
    assert.equal(data.MetadataOptions!.HttpTokens, 'required');
    assert.deepEqual(
      data.TagSpecifications![0]!.Tags!.map((x) => x.Key).sort(),
      ['Name', 'role'],
      'aws: tags stay out',
    );

    await assert.rejects(
      ec2.send(
        new RunInstancesCommand({
          MinCount: 1,
          MaxCount: 1,
          LaunchTemplate: { LaunchTemplateId: t.LaunchTemplateId, Version: '4' },
        }),
      ),
      code('InvalidLaunchTemplateId.VersionNotFound'),
    );
    await assert.rejects(
      ec2.send(
        new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'nope-lt' } }),
      ),
      code('InvalidLaunchTemplateName.NotFoundException'),
    );
    await assert.rejects(
      ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: 'i-0123456789abcdef0' })),
      code('InvalidInstanceID.NotFound'),
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
  });

  it('a template with a network interface launches into its subnet', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.60.1.0/24' }))).Subnet!;
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'tier-lt',
        LaunchTemplateData: {
          ImageId: imageId,
          InstanceType: 't2.micro',
          NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId, PrivateIpAddress: '10.60.1.40' }],
        },
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'tier-lt' } }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: [iid] });
    const i = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [iid] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual([i.SubnetId, i.VpcId, i.PrivateIpAddress], [subnet.SubnetId, vpc.VpcId, '10.60.1.40']);
    await assert.rejects(
      ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'bad-tier',
          LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: 'subnet-0123456789abcdef0' }] },
        }),
      ),
      code('InvalidSubnetID.NotFound'),
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
  });

  it("one account's templates are not another's", async () => {
    const mine = (
      await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'shared-name',
          LaunchTemplateData: { ImageId: imageId },
        }),
      )
    ).LaunchTemplate!;
    assert.deepEqual((await other.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates, []);
    await assert.rejects(
      other.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [mine.LaunchTemplateId!] })),
      code('InvalidLaunchTemplateId.NotFound'),
    );
    await assert.rejects(
      other.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: mine.LaunchTemplateId })),
      code('InvalidLaunchTemplateId.NotFound'),
    );
    await assert.rejects(
      other.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: mine.LaunchTemplateId })),
      code('InvalidLaunchTemplateId.NotFound'),
    );
    await assert.rejects(
      other.send(
        new RunInstancesCommand({
          MinCount: 1,
          MaxCount: 1,
          LaunchTemplate: { LaunchTemplateId: mine.LaunchTemplateId },
        }),
      ),
      code('InvalidLaunchTemplateId.NotFound'),
    );
    // What a template names must be the caller's.
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'mine-only', Description: 'a' }));
    await assert.rejects(
      other.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'theirs',
          LaunchTemplateData: { SecurityGroupIds: [GroupId!] },
        }),
      ),
      code('InvalidGroup.NotFound'),
    );
    await assert.rejects(
      other.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'theirs',
          LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0' },
        }),
      ),
      code('InvalidAMIID.NotFound'),
    );
    await assert.rejects(
      other.send(
        new CreateLaunchTemplateCommand({ LaunchTemplateName: 'theirs', LaunchTemplateData: { KeyName: 'lt-key' } }),
      ),
      code('InvalidKeyPair.NotFound'),
    );
    // The name is per account.
    const theirs = (
      await other.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'shared-name',
          LaunchTemplateData: { InstanceType: 't2.micro' },
        }),
      )
    ).LaunchTemplate!;
    assert.notEqual(theirs.LaunchTemplateId, mine.LaunchTemplateId);
    assert.notEqual(theirs.CreatedBy, mine.CreatedBy);
    assert.deepEqual(
      (
        await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['shared-name'] }))
      ).LaunchTemplates!.map((t) => t.LaunchTemplateId),
      [mine.LaunchTemplateId],
    );
  });
});
