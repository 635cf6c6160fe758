import { Ec2Api, items, type Ec2Reply } from './ec2.client.js';
import { eq, fields, match, ok, Skip, waitFor, type Scenario, type Suite, type Target } from './scenario.js';

interface Ec2 {
  t: Target;
  api: Ec2Api;
  zone: string;
}

/** An EC2 error answer: the status and the Errors/Error Code and Message. */
function ec2Error(where: string, r: Ec2Reply, status: number, code: string, message?: string | RegExp): void {
  eq(`${where} HTTP status`, r.status, status);
  eq(`${where} Errors.Error.Code`, r.code, code);
  if (typeof message === 'string') eq(`${where} Errors.Error.Message`, r.message, message);
  else if (message) match(`${where} Errors.Error.Message`, r.message, message);
}

async function prepare(t: Target): Promise<Ec2> {
  const api = new Ec2Api(t.url, t.apiKey, t.secretKey);
  const zones = items((await api.ok('DescribeAvailabilityZones')).availabilityZoneInfo).map(
    (z) => z.zoneName as string,
  );
  // polystack's basic zone places instances without a subnet; elsewhere the first zone.
  const zone = t.zone ?? zones.find((z) => /basic/i.test(z)) ?? zones[0];
  if (!zone) throw new Skip('the endpoint lists no availability zones');
  return { t, api, zone };
}

async function instanceState(api: Ec2Api, id: string): Promise<string | undefined> {
  const r = await api.ok('DescribeInstances', { 'InstanceId.1': id });
  return items(items(r.reservationSet)[0]?.instancesSet)[0]?.instanceState?.name;
}

async function reach(api: Ec2Api, t: Target, id: string, state: string): Promise<void> {
  let last: string | undefined;
  await waitFor(
    `instance ${id} ${state}`,
    t.timeoutMs,
    async () => ((last = await instanceState(api, id)) === state ? true : undefined),
    () => String(last),
  );
}

const scenarios: Scenario<Ec2>[] = [
  {
    id: 'signature.refused',
    title: 'a request signed with the wrong secret is refused with SignatureDoesNotMatch',
    run: async ({ api }) => {
      const r = await api.send('DescribeRegions', {}, { secret: 'not-the-secret' });
      ok('HTTP status', r.status >= 400 && r.status < 500, 'a 4xx status', r.status);
      eq('Errors.Error.Code', r.code, 'SignatureDoesNotMatch');
    },
  },
  {
    id: 'action.unknown',
    title: 'an unknown action is InvalidAction',
    run: async ({ api }) =>
      ec2Error(
        'LaunchRocket',
        await api.send('LaunchRocket'),
        400,
        'InvalidAction',
        'The action LaunchRocket is not valid for this web service.',
      ),
  },
  {
    id: 'zones.describe',
    title: 'DescribeAvailabilityZones lists available zones with their region',
    run: async ({ api }) => {
      const r = await api.ok('DescribeAvailabilityZones');
      match('requestId', r.requestId, /\S/);
      const zs = items(r.availabilityZoneInfo);
      ok('availabilityZoneInfo', zs.length > 0, 'at least one zone', zs);
      for (const [i, z] of zs.entries()) {
        fields(`availabilityZoneInfo[${i}]`, z, ['zoneName', 'zoneState', 'regionName']);
        eq(`availabilityZoneInfo[${i}].zoneState`, z.zoneState, 'available');
      }
    },
  },
  {
    id: 'params.missing',
    title: 'a missing required parameter is MissingParameter naming it',
    run: async ({ api }) =>
      ec2Error(
        'CreateKeyPair',
        await api.send('CreateKeyPair'),
        400,
        'MissingParameter',
        'The request must contain the parameter KeyName',
      ),
  },
  {
    id: 'instance.not-found',
    title: 'an instance id that does not exist is InvalidInstanceID.NotFound',
    run: async ({ api }) =>
      ec2Error(
        'DescribeInstances',
        await api.send('DescribeInstances', { 'InstanceId.1': 'i-0123456789abcdef0' }),
        400,
        'InvalidInstanceID.NotFound',
        "The instance ID 'i-0123456789abcdef0' does not exist",
      ),
  },
  {
    id: 'keypair.lifecycle',
    title: 'create a key pair, refuse a duplicate, describe it, delete it',
    run: async ({ api }, s) => {
      const name = `conformance-${s.suffix}`;
      s.step('CreateKeyPair');
      const k = await api.ok('CreateKeyPair', { KeyName: name });
      s.defer(() => api.ok('DeleteKeyPair', { KeyName: name }));
      eq('keyName', k.keyName, name);
      match('keyFingerprint', k.keyFingerprint, /^([0-9a-f]{2}:){15,19}[0-9a-f]{2}$/);
      match('keyMaterial', k.keyMaterial, /^-----BEGIN (RSA )?PRIVATE KEY-----/);
      s.step('duplicate');
      ec2Error(
        'CreateKeyPair',
        await api.send('CreateKeyPair', { KeyName: name }),
        400,
        'InvalidKeyPair.Duplicate',
        `The keypair '${name}' already exists.`,
      );
      s.step('DescribeKeyPairs');
      const found = items((await api.ok('DescribeKeyPairs', { 'KeyName.1': name })).keySet);
      eq(
        'keySet[].keyName',
        found.map((x) => x.keyName),
        [name],
      );
      eq('keySet[0].keyFingerprint', found[0].keyFingerprint, k.keyFingerprint);
      s.step('DeleteKeyPair');
      eq('DeleteKeyPair return', (await api.ok('DeleteKeyPair', { KeyName: name })).return, 'true');
    },
  },
  {
    id: 'securitygroup.lifecycle',
    title: 'create a security group, authorize ingress, describe the rule, delete it',
    run: async ({ api }, s) => {
      const name = `conformance-${s.suffix}`;
      s.step('CreateSecurityGroup');
      const g = await api.ok('CreateSecurityGroup', { GroupName: name, GroupDescription: 'polystack conformance' });
      match('groupId', g.groupId, /^sg-[0-9a-f]+$/);
      s.defer(() => api.ok('DeleteSecurityGroup', { GroupId: g.groupId }).catch(() => undefined));
      s.step('AuthorizeSecurityGroupIngress');
      const auth = await api.ok('AuthorizeSecurityGroupIngress', {
        GroupId: g.groupId,
        'IpPermissions.1.IpProtocol': 'tcp',
        'IpPermissions.1.FromPort': '22',
        'IpPermissions.1.ToPort': '22',
        'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8',
      });
      eq('AuthorizeSecurityGroupIngress return', auth.return, 'true');
      s.step('DescribeSecurityGroups');
      const sg = items((await api.ok('DescribeSecurityGroups', { 'GroupId.1': g.groupId })).securityGroupInfo)[0];
      eq('securityGroupInfo[0].groupName', sg?.groupName, name);
      const perm = items(sg.ipPermissions)[0];
      eq(
        'ipPermissions[0]',
        { p: perm?.ipProtocol, from: perm?.fromPort, to: perm?.toPort, cidr: items(perm?.ipRanges)[0]?.cidrIp },
        { p: 'tcp', from: '22', to: '22', cidr: '10.0.0.0/8' },
      );
      s.step('DeleteSecurityGroup');
      eq('DeleteSecurityGroup return', (await api.ok('DeleteSecurityGroup', { GroupId: g.groupId })).return, 'true');
    },
  },
  {
    id: 'instance.lifecycle',
    title: 'run an instance: pending → running, stop it, terminate it',
    run: async ({ api, t, zone }, s) => {
      const images = items(
        (await api.ok('DescribeImages', t.template ? { 'Filter.1.Name': 'name', 'Filter.1.Value.1': t.template } : {}))
          .imagesSet,
      );
      const image = images.find((i) => i.imageState === 'available');
      if (!image) throw new Skip('no available image');
      s.step('RunInstances');
      const run = await api.ok('RunInstances', {
        ImageId: image.imageId,
        MinCount: '1',
        MaxCount: '1',
        'Placement.AvailabilityZone': zone,
      });
      const inst = items(run.instancesSet)[0];
      match('instancesSet[0].instanceId', inst?.instanceId, /^i-[0-9a-f]+$/);
      s.defer(() => api.ok('TerminateInstances', { 'InstanceId.1': inst.instanceId }));
      ok(
        'instancesSet[0].instanceState.name',
        ['pending', 'running'].includes(inst.instanceState?.name),
        'pending or running',
        inst.instanceState?.name,
      );
      await reach(api, t, inst.instanceId, 'running');
      s.step('StopInstances');
      await api.ok('StopInstances', { 'InstanceId.1': inst.instanceId });
      await reach(api, t, inst.instanceId, 'stopped');
      s.step('TerminateInstances');
      const term = items((await api.ok('TerminateInstances', { 'InstanceId.1': inst.instanceId })).instancesSet)[0];
      eq('TerminateInstances previousState', term?.previousState?.name, 'stopped');
      await reach(api, t, inst.instanceId, 'terminated');
    },
  },
];

export const ec2Suite: Suite<Ec2> = { front: 'ec2', prepare, scenarios };
