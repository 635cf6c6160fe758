import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ownerId } from '../../src/ec2/context.js';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant, FrontClient } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ZONE = 'Sandbox-simulator-basic';

/** Polls an EC2 call until `done` holds of its answer. */
async function until(what: string, call: () => Promise<string>, done: (text: string) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (done(await call())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} never came`);
}

/**
 * Ids decode whoever owns them, so every action that takes a volume, snapshot, image or instance
 * id must also find it among the caller's: another account's is NotFound, as on AWS, not
 * CloudStack's permission error with the object's CloudStack id in it.
 */
describe("EC2: one account's volumes, snapshots and images are not another's", () => {
  let s: TestServer;
  let a: FrontClient;
  let b: FrontClient;
  let aOwner = '';
  const ids: Record<string, string> = {};
  const grab = (text: string, re: RegExp) => re.exec(text)?.[1] ?? assert.fail(`no ${re} in ${text.slice(0, 300)}`);

  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    const admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    const ka = await createTenant(admin, 'ebs-a');
    a = new FrontClient(s.url, ka);
    b = new FrontClient(s.url, await createTenant(admin, 'ebs-b'));
    aOwner = ownerId(ka.accountId);
    ids['catalog'] = grab((await a.ec2({ Action: 'DescribeImages' })).text, /<imageId>(ami-[0-9a-f]+)</);
    ids['instance'] = grab(
      (
        await a.ec2({
          Action: 'RunInstances',
          ImageId: ids['catalog'],
          MinCount: '1',
          MaxCount: '1',
          'Placement.AvailabilityZone': ZONE,
        })
      ).text,
      /<instanceId>(i-[0-9a-f]+)</,
    );
    await until(
      'running',
      async () => (await a.ec2({ Action: 'DescribeInstances', 'InstanceId.1': ids['instance']! })).text,
      (t) => t.includes('<name>running</name>'),
    );
    ids['volume'] = grab(
      (await a.ec2({ Action: 'CreateVolume', AvailabilityZone: ZONE, Size: '1' })).text,
      /<volumeId>(vol-[0-9a-f]+)</,
    );
    await a.ec2({ Action: 'AttachVolume', VolumeId: ids['volume'], InstanceId: ids['instance']!, Device: '/dev/sdf' });
    await until(
      'attached',
      async () => (await a.ec2({ Action: 'DescribeVolumes', 'VolumeId.1': ids['volume']! })).text,
      (t) => t.includes('<status>attached</status>'),
    );
    ids['snapshot'] = grab(
      (await a.ec2({ Action: 'CreateSnapshot', VolumeId: ids['volume'] })).text,
      /<snapshotId>(snap-[0-9a-f]+)</,
    );
    ids['image'] = grab(
      (await a.ec2({ Action: 'CreateImage', InstanceId: ids['instance']!, Name: 'a-golden' })).text,
      /<imageId>(ami-[0-9a-f]+)</,
    );
    await until(
      'image available',
      async () => (await a.ec2({ Action: 'DescribeImages', 'ImageId.1': ids['image']! })).text,
      (t) => t.includes('<imageState>available</imageState>'),
    );
    await until(
      'snapshot completed',
      async () => (await a.ec2({ Action: 'DescribeSnapshots', 'SnapshotId.1': ids['snapshot']! })).text,
      (t) => t.includes('<status>completed</status>'),
    );
  });
  after(() => s.stop());

  it("B using A's image, snapshot or instance gets the NotFound AWS gives", async () => {
    const refused: [Record<string, string>, string][] = [
      [{ Action: 'RunInstances', ImageId: ids['image']!, MinCount: '1', MaxCount: '1' }, 'InvalidAMIID.NotFound'],
      [
        {
          Action: 'RunInstances',
          ImageId: ids['catalog']!,
          MinCount: '1',
          MaxCount: '1',
          'BlockDeviceMapping.1.DeviceName': '/dev/sdf',
          'BlockDeviceMapping.1.Ebs.SnapshotId': ids['snapshot']!,
        },
        'InvalidSnapshot.NotFound',
      ],
      [{ Action: 'CreateVolume', AvailabilityZone: ZONE, SnapshotId: ids['snapshot']! }, 'InvalidSnapshot.NotFound'],
      [
        {
          Action: 'RegisterImage',
          Name: 'b-stolen',
          'BlockDeviceMapping.1.DeviceName': '/dev/xvda',
          'BlockDeviceMapping.1.Ebs.SnapshotId': ids['snapshot']!,
        },
        'InvalidSnapshot.NotFound',
      ],
      [
        { Action: 'ModifyInstanceAttribute', InstanceId: ids['instance']!, 'InstanceType.Value': 't2.small' },
        'InvalidInstanceID.NotFound',
      ],
      [
        {
          Action: 'ModifyImageAttribute',
          ImageId: ids['image']!,
          Attribute: 'launchPermission',
          OperationType: 'add',
          'UserId.1': aOwner,
        },
        'InvalidAMIID.NotFound',
      ],
    ];
    const bVolume = grab(
      (await b.ec2({ Action: 'CreateVolume', AvailabilityZone: ZONE, Size: '1' })).text,
      /<volumeId>(vol-[0-9a-f]+)</,
    );
    refused.push([
      { Action: 'AttachVolume', VolumeId: bVolume, InstanceId: ids['instance']!, Device: '/dev/sdg' },
      'InvalidInstanceID.NotFound',
    ]);
    for (const [params, code] of refused) {
      const r = await b.ec2(params);
      assert.equal(r.code, code, `${params['Action']}: ${r.text.slice(0, 300)}`);
      assert.doesNotMatch(
        r.xml.Response.Errors.Error.Message,
        /permission|[0-9a-f]{8}-[0-9a-f]{4}-/,
        `${params['Action']} told B about A's object`,
      );
    }
  });

  it("B asking for A's account's snapshots gets none", async () => {
    for (const member of ['Owner.1', 'RestorableBy.1']) {
      const r = await b.ec2({ Action: 'DescribeSnapshots', [member]: aOwner });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.xml.DescribeSnapshotsResponse.snapshotSet, '', member);
    }
  });

  it('A still uses its own: a volume from its snapshot, an instance from its image', async () => {
    const restored = await a.ec2({ Action: 'CreateVolume', AvailabilityZone: ZONE, SnapshotId: ids['snapshot']! });
    assert.equal(restored.status, 200, restored.text);
    const run = await a.ec2({
      Action: 'RunInstances',
      ImageId: ids['image']!,
      MinCount: '1',
      MaxCount: '1',
      'Placement.AvailabilityZone': ZONE,
      'BlockDeviceMapping.1.DeviceName': '/dev/sdf',
      'BlockDeviceMapping.1.Ebs.SnapshotId': ids['snapshot']!,
    });
    assert.equal(run.status, 200, run.text);
    const self = await a.ec2({ Action: 'DescribeSnapshots', 'RestorableBy.1': 'self' });
    assert.ok(self.text.includes(ids['snapshot']!), self.text.slice(0, 300));
  });
});
