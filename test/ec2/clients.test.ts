import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CsClient } from '../helpers/cs-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const BOTO3 = fileURLToPath(new URL('./boto3_scenario.py', import.meta.url));

/** Real EC2 clients nobody here wrote: boto3 and the AWS CLI (Debian packages, see scripts/install-test-deps.sh). */
describe('EC2 front through real clients', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '50' } });
  });
  after(() => s.stop());

  const env = () => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  it('boto3 runs the whole scenario', async () => {
    try {
      const r = await run('/usr/bin/python3', [BOTO3], {
        env: { ...env(), EC2_ENDPOINT: s.url, EC2_KEY: s.apiKey, EC2_SECRET: s.secretKey },
        timeout: 180_000,
      });
      assert.match(r.stdout, /PASS$/m);
    } catch (e: any) {
      assert.fail(
        `boto3 scenario failed (run scripts/install-test-deps.sh if boto3 is missing):\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
  });

  it('boto3: attributes, password data, rules and credit specifications', async () => {
    const script = fileURLToPath(new URL('./attributes_scenario.py', import.meta.url));
    try {
      const r = await run('/usr/bin/python3', [script], {
        env: { ...env(), EC2_ENDPOINT: s.url, EC2_KEY: s.apiKey, EC2_SECRET: s.secretKey },
        timeout: 120_000,
      });
      assert.match(r.stdout, /PASS$/m);
    } catch (e: any) {
      assert.fail(`attributes scenario failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  });

  it('the AWS CLI describes, runs and terminates', async () => {
    const aws = async (...args: string[]) => {
      const r = await run(
        'aws',
        ['--endpoint-url', s.url, '--region', 'us-east-1', '--output', 'json', 'ec2', ...args],
        {
          env: { ...env(), AWS_ACCESS_KEY_ID: s.apiKey, AWS_SECRET_ACCESS_KEY: s.secretKey },
          timeout: 120_000,
        },
      );
      return r.stdout ? JSON.parse(r.stdout) : {};
    };
    const image = (await aws('describe-images', '--filters', 'Name=name,Values=CentOS*')).Images[0].ImageId;
    const ran = await aws(
      'run-instances',
      '--image-id',
      image,
      '--instance-type',
      't2.micro',
      '--placement',
      'AvailabilityZone=Sandbox-simulator-advanced',
      '--user-data',
      'hi',
    );
    const id = ran.Instances[0].InstanceId;
    assert.match(id, /^i-[0-9a-f]{17}$/);
    await aws('wait', 'instance-running', '--instance-ids', id);
    const d = await aws('describe-instances', '--instance-ids', id);
    assert.equal(d.Reservations[0].Instances[0].State.Name, 'running');
    // A volume: created, attached, seen attached, detached and deleted, with the CLI's waiters.
    const vol = await aws('create-volume', '--availability-zone', 'Sandbox-simulator-advanced', '--size', '3');
    assert.match(vol.VolumeId, /^vol-[0-9a-f]{17}$/);
    await aws('wait', 'volume-available', '--volume-ids', vol.VolumeId);
    assert.equal(
      (await aws('attach-volume', '--volume-id', vol.VolumeId, '--instance-id', id, '--device', '/dev/sdh')).State,
      'attaching',
    );
    await aws('wait', 'volume-in-use', '--volume-ids', vol.VolumeId);
    const attached = (await aws('describe-volumes', '--volume-ids', vol.VolumeId)).Volumes[0];
    assert.deepEqual(
      [attached.State, attached.Attachments[0].InstanceId, attached.Attachments[0].Device],
      ['in-use', id, '/dev/sdh'],
    );
    assert.equal((await aws('detach-volume', '--volume-id', vol.VolumeId)).State, 'detaching');
    await aws('wait', 'volume-available', '--volume-ids', vol.VolumeId);
    await aws('delete-volume', '--volume-id', vol.VolumeId);
    await assert.rejects(aws('describe-volumes', '--volume-ids', vol.VolumeId), /InvalidVolume.NotFound/);
    assert.equal(
      (await aws('terminate-instances', '--instance-ids', id)).TerminatingInstances[0].CurrentState.Name,
      'shutting-down',
    );
    await aws('wait', 'instance-terminated', '--instance-ids', id);
    await assert.rejects(
      aws('describe-instances', '--instance-ids', 'i-00000000000000000'),
      /InvalidInstanceID.NotFound/,
    );
  });

  it('the AWS CLI: run-instances --security-groups with default placement lands where groups work; ids of the wrong form are Malformed', async () => {
    const aws = async (...args: string[]) => {
      const r = await run(
        'aws',
        ['--endpoint-url', s.url, '--region', 'us-east-1', '--output', 'json', 'ec2', ...args],
        {
          env: { ...env(), AWS_ACCESS_KEY_ID: s.apiKey, AWS_SECRET_ACCESS_KEY: s.secretKey },
          timeout: 120_000,
        },
      );
      return r.stdout ? JSON.parse(r.stdout) : {};
    };
    await assert.rejects(
      aws('describe-images', '--image-ids', 'ami-zzz'),
      /InvalidAMIID\.Malformed\) when calling the DescribeImages operation: Invalid id: "ami-zzz" \(expecting "ami-\.\.\."\)/,
    );
    const image = (await aws('describe-images', '--filters', 'Name=name,Values=CentOS*')).Images[0].ImageId;
    const group = (await aws('create-security-group', '--group-name', 'web-default', '--description', 'web')).GroupId;
    const ran = (
      await aws('run-instances', '--image-id', image, '--instance-type', 't2.micro', '--security-groups', 'web-default')
    ).Instances[0];
    await aws('wait', 'instance-running', '--instance-ids', ran.InstanceId);
    const vm = (await aws('describe-instances', '--instance-ids', ran.InstanceId)).Reservations[0].Instances[0];
    assert.deepEqual(vm.SecurityGroups, [{ GroupName: 'web-default', GroupId: group }]);
    const zones = (await aws('describe-availability-zones')).AvailabilityZones.map((z: any) => z.ZoneName);
    assert.ok(zones.includes(vm.Placement.AvailabilityZone));
    await aws('terminate-instances', '--instance-ids', ran.InstanceId);
  });

  it('the AWS CLI: the tutorial path works in a zone without CloudStack security groups, the rules become the network firewall', async () => {
    const aws = async (...args: string[]) => {
      const r = await run(
        'aws',
        ['--endpoint-url', s.url, '--region', 'us-east-1', '--output', 'json', 'ec2', ...args],
        {
          env: { ...env(), AWS_ACCESS_KEY_ID: s.apiKey, AWS_SECRET_ACCESS_KEY: s.secretKey },
          timeout: 120_000,
        },
      );
      return r.stdout ? JSON.parse(r.stdout) : {};
    };
    const cs = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    const zone = 'Sandbox-simulator-advanced';
    const [z] = (await cs.call('listZones', { name: zone })).body.zone;
    assert.equal(!!z.securitygroupsenabled, false, 'the advanced zone has no CloudStack security groups');
    const image = (await aws('describe-images', '--filters', 'Name=name,Values=CentOS*')).Images[0].ImageId;
    const group = (await aws('create-security-group', '--group-name', 'web', '--description', 'web servers')).GroupId;
    await aws(
      'authorize-security-group-ingress',
      '--group-name',
      'web',
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--cidr',
      '0.0.0.0/0',
    );
    const ran = (
      await aws(
        'run-instances',
        '--image-id',
        image,
        '--instance-type',
        't2.micro',
        '--security-groups',
        'web',
        '--placement',
        `AvailabilityZone=${zone}`,
      )
    ).Instances[0];
    assert.deepEqual(ran.SecurityGroups, [{ GroupName: 'web', GroupId: group }]);
    await aws('wait', 'instance-running', '--instance-ids', ran.InstanceId);
    const vm = (await aws('describe-instances', '--instance-ids', ran.InstanceId)).Reservations[0].Instances[0];
    assert.equal(vm.Placement.AvailabilityZone, zone);
    assert.deepEqual(vm.SecurityGroups, [{ GroupName: 'web', GroupId: group }]);
    assert.deepEqual(vm.Tags ?? [], [], "the membership tag is the front's, not shown as an instance tag");
    const rule = (await aws('describe-security-groups', '--group-names', 'web')).SecurityGroups[0].IpPermissions;
    assert.deepEqual(
      rule.map((p: any) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges]),
      [['tcp', 22, 22, [{ CidrIp: '0.0.0.0/0' }]]],
    );
    // Enforced by CloudStack: a firewall rule on the network's source NAT address, and egress open as the group's is.
    const csVm = (await cs.call('listVirtualMachines', { zoneid: z.id })).body.virtualmachine.find(
      (v: any) => v.nic?.[0]?.ipaddress === vm.PrivateIpAddress,
    );
    const networkid = csVm.nic[0].networkid;
    const firewall = async () =>
      ((await cs.call('listFirewallRules', { networkid, listall: 'true' })).body.firewallrule ?? []).map((r: any) => [
        r.protocol,
        r.startport,
        r.endport,
        r.cidrlist,
        r.ipaddress,
      ]);
    const [nat] = (
      await cs.call('listPublicIpAddresses', { associatednetworkid: networkid, issourcenat: 'true', listall: 'true' })
    ).body.publicipaddress;
    assert.deepEqual(await firewall(), [['tcp', 22, 22, '0.0.0.0/0', nat.ipaddress]]);
    const egress = (
      (await cs.call('listEgressFirewallRules', { networkid, listall: 'true' })).body.firewallrule ?? []
    ).map((r: any) => [r.protocol, r.destcidrlist]);
    assert.deepEqual(egress, [['all', '0.0.0.0/0']]);
    // A later rule reaches the firewall; a revoked one leaves it.
    await aws(
      'authorize-security-group-ingress',
      '--group-id',
      group,
      '--protocol',
      'tcp',
      '--port',
      '80',
      '--cidr',
      '10.1.0.0/16',
    );
    assert.deepEqual((await firewall()).sort(), [
      ['tcp', 22, 22, '0.0.0.0/0', nat.ipaddress],
      ['tcp', 80, 80, '10.1.0.0/16', nat.ipaddress],
    ]);
    await aws(
      'revoke-security-group-ingress',
      '--group-name',
      'web',
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--cidr',
      '0.0.0.0/0',
    );
    assert.deepEqual(await firewall(), [['tcp', 80, 80, '10.1.0.0/16', nat.ipaddress]]);
    // Egress: the group's rule replaces the allow-all one on the network.
    await aws(
      'authorize-security-group-egress',
      '--group-id',
      group,
      '--ip-permissions',
      'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]',
    );
    const egress2 = (
      (await cs.call('listEgressFirewallRules', { networkid, listall: 'true' })).body.firewallrule ?? []
    ).map((r: any) => [r.protocol, r.startport, r.destcidrlist]);
    assert.deepEqual(egress2, [['tcp', 443, '0.0.0.0/0']]);
    // A group in use is a dependency; with its instance gone, the firewall is emptied and the group deleted.
    await assert.rejects(aws('delete-security-group', '--group-id', group), /DependencyViolation/);
    // Changing an instance's groups changes the network's firewall.
    const alt = (await aws('create-security-group', '--group-name', 'alt', '--description', 'alt')).GroupId;
    await aws(
      'authorize-security-group-ingress',
      '--group-id',
      alt,
      '--protocol',
      'udp',
      '--port',
      '53',
      '--cidr',
      '192.168.0.0/24',
    );
    await aws('modify-instance-attribute', '--instance-id', ran.InstanceId, '--groups', alt);
    assert.deepEqual(await firewall(), [['udp', 53, 53, '192.168.0.0/24', nat.ipaddress]]);
    await aws('modify-instance-attribute', '--instance-id', ran.InstanceId, '--groups', group, alt);
    assert.deepEqual((await firewall()).sort(), [
      ['tcp', 80, 80, '10.1.0.0/16', nat.ipaddress],
      ['udp', 53, 53, '192.168.0.0/24', nat.ipaddress],
    ]);
    assert.deepEqual(
      (
        await aws('describe-instances', '--instance-ids', ran.InstanceId)
      ).Reservations[0].Instances[0].SecurityGroups.map((g: any) => g.GroupId).sort(),
      [group, alt].sort(),
    );
    // No placement: lands in a zone and runs as well.
    const second = (
      await aws('run-instances', '--image-id', image, '--instance-type', 't2.micro', '--security-groups', 'web')
    ).Instances[0];
    await aws('wait', 'instance-running', '--instance-ids', second.InstanceId);
    assert.deepEqual(
      (await aws('describe-instances', '--instance-ids', second.InstanceId)).Reservations[0].Instances[0]
        .SecurityGroups,
      [{ GroupName: 'web', GroupId: group }],
    );
    await aws('terminate-instances', '--instance-ids', ran.InstanceId, second.InstanceId);
    await aws('wait', 'instance-terminated', '--instance-ids', ran.InstanceId, second.InstanceId);
    assert.deepEqual(await firewall(), []);
    await aws('delete-security-group', '--group-id', group);
    await aws('delete-security-group', '--group-id', alt);
  });

  it('the AWS CLI: --source-group makes a group rule, not one open to the world', async () => {
    const aws = async (...args: string[]) => {
      const r = await run(
        'aws',
        ['--endpoint-url', s.url, '--region', 'us-east-1', '--output', 'json', 'ec2', ...args],
        {
          env: { ...env(), AWS_ACCESS_KEY_ID: s.apiKey, AWS_SECRET_ACCESS_KEY: s.secretKey },
          timeout: 120_000,
        },
      );
      return r.stdout ? JSON.parse(r.stdout) : {};
    };
    const web = (await aws('create-security-group', '--group-name', 'cli-web', '--description', 'web')).GroupId;
    const bastion = (await aws('create-security-group', '--group-name', 'cli-bastion', '--description', 'bastion'))
      .GroupId;
    // The CLI sends IpPermissions.1.Groups.1.GroupId (an sg- id) or .GroupName (a name).
    await aws(
      'authorize-security-group-ingress',
      '--group-id',
      web,
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--source-group',
      bastion,
    );
    await aws(
      'authorize-security-group-ingress',
      '--group-id',
      web,
      '--protocol',
      'tcp',
      '--port',
      '80',
      '--source-group',
      'cli-bastion',
    );
    const g = (await aws('describe-security-groups', '--group-ids', web)).SecurityGroups[0];
    const ownerId = g.OwnerId;
    assert.deepEqual(
      g.IpPermissions.map((p: any) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges, p.UserIdGroupPairs]),
      [
        ['tcp', 22, 22, [], [{ GroupId: bastion, GroupName: 'cli-bastion', UserId: ownerId }]],
        ['tcp', 80, 80, [], [{ GroupId: bastion, GroupName: 'cli-bastion', UserId: ownerId }]],
      ],
    );
    const rules = (await aws('describe-security-group-rules', '--filters', `Name=group-id,Values=${web}`))
      .SecurityGroupRules;
    assert.deepEqual(
      rules.map((r: any) => [r.FromPort, r.CidrIpv4, r.ReferencedGroupInfo?.GroupId]),
      [
        [22, undefined, bastion],
        [80, undefined, bastion],
      ],
    );
    // A source group that does not exist is refused, never widened to an address range.
    await assert.rejects(
      aws(
        'authorize-security-group-ingress',
        '--group-id',
        web,
        '--protocol',
        'tcp',
        '--port',
        '443',
        '--source-group',
        'no-such-group',
      ),
      /InvalidGroup.NotFound/,
    );
    // Revoking with the same pair takes the rule away and leaves the other.
    await aws(
      'revoke-security-group-ingress',
      '--group-id',
      web,
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--source-group',
      bastion,
    );
    const after = (await aws('describe-security-groups', '--group-ids', web)).SecurityGroups[0].IpPermissions;
    assert.deepEqual(
      after.map((p: any) => [p.FromPort, p.UserIdGroupPairs.map((x: any) => x.GroupId)]),
      [[80, [bastion]]],
    );
  });
});

describe('EC2 front through libcloud and boto 2 (SigV2)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
  });
  after(() => s.stop());

  for (const [client, file] of [
    ['libcloud', 'libcloud_scenario.py'],
    ['boto 2', 'boto2_scenario.py'],
  ] as const)
    it(`${client}: lists, creates, tags, stops and destroys`, async () => {
      const script = fileURLToPath(new URL(`./${file}`, import.meta.url));
      try {
        const r = await run('/usr/bin/python3', [script], {
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            HOME: '/tmp',
            EC2_HOSTPORT: new URL(s.url).host,
            EC2_KEY: s.apiKey,
            EC2_SECRET: s.secretKey,
          },
          timeout: 120_000,
        });
        assert.match(r.stdout, /PASS$/m);
      } catch (e: any) {
        assert.fail(`${client} EC2 scenario failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    });
});
