import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeKeyPairsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumeAttributeCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DescribeVolumeStatusCommand,
  EC2Client,
  ImportKeyPairCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  ModifyVolumeAttributeCommand,
  ModifyVolumeCommand,
  RegisterImageCommand,
  ResetImageAttributeCommand,
  ResetSnapshotAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilImageAvailable,
  waitUntilInstanceRunning,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { quickWaiter } from '../helpers/waiters.js';

const ZONE = 'Sandbox-simulator-basic';
const code = (name: string) => (e: { name?: string }) => e.name === name;

/** Volume status and attributes, snapshot sharing and copies, AMI copies and resets, key pairs' public keys. */
describe('EC2 storage extras through @aws-sdk/client-ec2', () => {
  let s: TestServer;
  let ec2: EC2Client;
  const wait = () => quickWaiter(ec2, 60);
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  it('volume status, autoEnableIO and the modification history', async () => {
    const vol = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: ZONE, Size: 2 }))).VolumeId!;
    await waitUntilVolumeAvailable(wait(), { VolumeIds: [vol] });
    const [st] = (await ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: [vol] }))).VolumeStatuses!;
    assert.deepEqual([st!.VolumeId, st!.AvailabilityZone, st!.VolumeStatus!.Status], [vol, ZONE, 'ok']);
    assert.deepEqual(
      st!.VolumeStatus!.Details!.map((d) => [d.Name, d.Status]),
      [
        ['io-enabled', 'passed'],
        ['io-performance', 'not-applicable'],
      ],
    );
    assert.equal(
      (
        await ec2.send(
          new DescribeVolumeStatusCommand({ Filters: [{ Name: 'volume-status.status', Values: ['impaired'] }] }),
        )
      ).VolumeStatuses!.length,
      0,
    );
    await assert.rejects(
      ec2.send(new DescribeVolumeStatusCommand({ VolumeIds: ['vol-0123456789abcdef0'] })),
      code('InvalidVolume.NotFound'),
    );

    const auto = async () =>
      (await ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: vol, Attribute: 'autoEnableIO' }))).AutoEnableIO!
        .Value;
    assert.equal(await auto(), false);
    await ec2.send(new ModifyVolumeAttributeCommand({ VolumeId: vol, AutoEnableIO: { Value: true } }));
    assert.equal(await auto(), true);
    assert.deepEqual(
      (await ec2.send(new DescribeVolumeAttributeCommand({ VolumeId: vol, Attribute: 'productCodes' }))).ProductCodes,
      [],
    );

    await assert.rejects(
      ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [vol] })),
      code('InvalidVolumeModification.NotFound'),
    );
    await ec2.send(new ModifyVolumeCommand({ VolumeId: vol, Size: 4, VolumeType: 'gp3' }));
    const [m] = (await ec2.send(new DescribeVolumesModificationsCommand({ VolumeIds: [vol] }))).VolumesModifications!;
    assert.deepEqual(
      [m!.VolumeId, m!.OriginalSize, m!.TargetSize, m!.OriginalVolumeType, m!.TargetVolumeType],
      [vol, 2, 4, 'gp2', 'gp3'],
    );
    assert.ok(['modifying', 'completed'].includes(m!.ModificationState!));
    const all = (
      await ec2.send(new DescribeVolumesModificationsCommand({ Filters: [{ Name: 'target-size', Values: ['4'] }] }))
    ).VolumesModifications!;
    assert.deepEqual(
      all.map((x) => x.VolumeId),
      [vol],
    );
  });

  it('snapshot createVolumePermission, CopySnapshot', async () => {
    // CloudStack snapshots only volumes on primary storage: an instance's root disk.
    const [centos] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: centos!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: ZONE },
      }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(wait(), { InstanceIds: [iid] });
    const [root] = (
      await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [iid] }] }))
    ).Volumes!;
    const snap = (await ec2.send(new CreateSnapshotCommand({ VolumeId: root!.VolumeId, Description: 'orig' })))
      .SnapshotId!;
    await waitUntilSnapshotCompleted(wait(), { SnapshotIds: [snap] });

    const perms = async () =>
      (await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' })))
        .CreateVolumePermissions;
    assert.deepEqual(await perms(), []);
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snap,
        Attribute: 'createVolumePermission',
        CreateVolumePermission: { Add: [{ Group: 'all' }, { UserId: '123456789012' }] },
      }),
    );
    assert.deepEqual(await perms(), [{ Group: 'all' }, { UserId: '123456789012' }]);
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: snap,
        Attribute: 'createVolumePermission',
        OperationType: 'remove',
        GroupNames: ['all'],
      }),
    );
    assert.deepEqual(await perms(), [{ UserId: '123456789012' }]);
    await assert.rejects(
      ec2.send(
        new ModifySnapshotAttributeCommand({
          SnapshotId: snap,
          Attribute: 'createVolumePermission',
          OperationType: 'add',
          UserIds: ['bob'],
        }),
      ),
      code('InvalidUserID.Malformed'),
    );
    await ec2.send(new ResetSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }));
    assert.deepEqual(await perms(), []);
    await assert.rejects(
      ec2.send(
        new DescribeSnapshotAttributeCommand({
          SnapshotId: 'snap-0123456789abcdef0',
          Attribute: 'createVolumePermission',
        }),
      ),
      code('InvalidSnapshot.NotFound'),
    );

    const volumesBefore = (await ec2.send(new DescribeVolumesCommand({}))).Volumes!.length;
    await assert.rejects(
      ec2.send(new CopySnapshotCommand({ SourceRegion: 'eu-west-1', SourceSnapshotId: snap })),
      code('InvalidParameterValue'),
    );
    const copy = await ec2.send(
      new CopySnapshotCommand({
        SourceRegion: 'us-east-1',
        SourceSnapshotId: snap,
        Description: 'the copy',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'copy', Value: 'yes' }] }],
      }),
    );
    assert.match(copy.SnapshotId!, /^snap-[0-9a-f]{17}$/);
    assert.notEqual(copy.SnapshotId, snap);
    assert.deepEqual(copy.Tags, [{ Key: 'copy', Value: 'yes' }]);
    await waitUntilSnapshotCompleted(wait(), { SnapshotIds: [copy.SnapshotId!] });
    const [c] = (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [copy.SnapshotId!] }))).Snapshots!;
    assert.deepEqual([c!.VolumeSize, c!.Description, c!.State], [root!.Size, 'the copy', 'completed']);
    assert.equal(
      (await ec2.send(new DescribeVolumesCommand({}))).Volumes!.length,
      volumesBefore,
      'the volume the copy went through is gone',
    );
    // The copy makes volumes like any snapshot.
    const restored = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: ZONE, SnapshotId: copy.SnapshotId })))
      .VolumeId!;
    await waitUntilVolumeAvailable(wait(), { VolumeIds: [restored] });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
  });

  it('CopyImage of a registered image and of an instance image; ResetImageAttribute', async () => {
    const [centos] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const registered = (
      await ec2.send(
        new RegisterImageCommand({ Name: 'from-url', ImageLocation: 'http://images.example.org/disk.qcow2' }),
      )
    ).ImageId!;
    await waitUntilImageAvailable(wait(), { ImageIds: [registered] });
    const copied = (
      await ec2.send(
        new CopyImageCommand({
          SourceRegion: 'us-east-1',
          SourceImageId: registered,
          Name: 'centos-copy',
          Description: 'copied',
        }),
      )
    ).ImageId!;
    assert.match(copied, /^ami-[0-9a-f]{17}$/);
    await waitUntilImageAvailable(wait(), { ImageIds: [copied] });
    const [img] = (await ec2.send(new DescribeImagesCommand({ ImageIds: [copied] }))).Images!;
    assert.deepEqual([img!.Name, img!.Description, img!.State], ['centos-copy', 'copied', 'available']);
    await assert.rejects(
      ec2.send(new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: registered, Name: 'centos-copy' })),
      code('InvalidAMIName.Duplicate'),
    );
    await assert.rejects(
      ec2.send(
        new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: 'ami-0123456789abcdef0', Name: 'x-copy' }),
      ),
      code('InvalidAMIID.NotFound'),
    );
    await assert.rejects(
      ec2.send(new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: 'ami-zzz', Name: 'x-copy' })),
      code('InvalidAMIID.Malformed'),
    );

    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: centos!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: ZONE },
      }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(wait(), { InstanceIds: [iid] });
    const golden = (await ec2.send(new CreateImageCommand({ InstanceId: iid, Name: 'golden' }))).ImageId!;
    await waitUntilImageAvailable(wait(), { ImageIds: [golden] });
    const again = (
      await ec2.send(new CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: golden, Name: 'golden-copy' }))
    ).ImageId!;
    await waitUntilImageAvailable(wait(), { ImageIds: [again] });
    const [g] = (await ec2.send(new DescribeImagesCommand({ ImageIds: [again] }))).Images!;
    assert.ok(g!.BlockDeviceMappings![0]!.Ebs!.SnapshotId, 'the copy is backed by the same root snapshot');

    const perms = async () =>
      (await ec2.send(new DescribeImageAttributeCommand({ ImageId: again, Attribute: 'launchPermission' })))
        .LaunchPermissions;
    await ec2.send(new ModifyImageAttributeCommand({ ImageId: again, LaunchPermission: { Add: [{ Group: 'all' }] } }));
    assert.deepEqual(await perms(), [{ Group: 'all' }]);
    assert.equal(
      (await ec2.send(new ResetImageAttributeCommand({ ImageId: again, Attribute: 'launchPermission' }))).$metadata
        .httpStatusCode,
      200,
    );
    assert.deepEqual(await perms(), []);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
  });

  it('key pairs: ed25519 imports, key types and IncludePublicKey', async () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const raw = Buffer.from(ed.x!, 'base64url');
    const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const line = `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} me@host`;
    const imported = await ec2.send(
      new ImportKeyPairCommand({ KeyName: 'ed-key', PublicKeyMaterial: Buffer.from(line) }),
    );
    assert.match(imported.KeyPairId!, /^key-[0-9a-f]{17}$/);
    assert.ok(imported.KeyFingerprint);
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'rsa-key' }));

    const keys = (await ec2.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }))).KeyPairs!;
    const byName = Object.fromEntries(keys.map((k) => [k.KeyName, k]));
    assert.deepEqual([byName['ed-key']!.KeyType, byName['ed-key']!.PublicKey], ['ed25519', line]);
    assert.equal(byName['rsa-key']!.KeyType, 'rsa');
    assert.match(byName['rsa-key']!.PublicKey!, /^ssh-rsa AAAAB3NzaC1yc2E[A-Za-z0-9+/=]+ rsa-key$/);
    const plain = (await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ed-key'] }))).KeyPairs!;
    assert.equal(plain[0]!.PublicKey, undefined, 'only with IncludePublicKey');
    assert.deepEqual(
      (
        await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-type', Values: ['ed25519'] }] }))
      ).KeyPairs!.map((k) => k.KeyName),
      ['ed-key'],
    );
    await assert.rejects(
      ec2.send(new ImportKeyPairCommand({ KeyName: 'bad-key', PublicKeyMaterial: Buffer.from('ssh-ed25519 AAAA') })),
      code('InvalidKey.Format'),
    );

    // CreateKeyPair KeyType ed25519: an OpenSSH private key whose public half is the one CloudStack registered.
    const made = await ec2.send(new CreateKeyPairCommand({ KeyName: 'ed-made', KeyType: 'ed25519' }));
    assert.match(made.KeyMaterial!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const rsa = await ec2.send(new CreateKeyPairCommand({ KeyName: 'rsa-made' }));
    const shown = Object.fromEntries(
      (
        await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ed-made', 'rsa-made'], IncludePublicKey: true }))
      ).KeyPairs!.map((k) => [k.KeyName, k]),
    );
    assert.equal(shown['ed-made']!.KeyType, 'ed25519');
    const dir = mkdtempSync(join(tmpdir(), 'ec2-keys-'));
    for (const [name, material] of [
      ['ed-made', made.KeyMaterial!],
      ['rsa-made', rsa.KeyMaterial!],
    ] as const) {
      writeFileSync(join(dir, name), material, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', join(dir, name)])
        .toString()
        .trim()
        .split(' ')
        .slice(0, 2)
        .join(' ');
      assert.equal(
        derived,
        shown[name]!.PublicKey!.split(' ').slice(0, 2).join(' '),
        `${name}: ssh-keygen reads the private key back to the listed public key`,
      );
    }
    rmSync(dir, { recursive: true });
    await assert.rejects(
      ec2.send(new CreateKeyPairCommand({ KeyName: 'ed-made', KeyType: 'ed25519' })),
      code('InvalidKeyPair.Duplicate'),
    );
  });
});
