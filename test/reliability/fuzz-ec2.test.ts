// tier: fast (in process, under 0.15 s a test: a sweep cheap enough to run between two edits)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { ACTIONS } from '../../src/ec2/actions/index.js';
import { operation, shape } from '../../src/ec2/model.js';
import { wireName } from '../../src/ec2/query.js';
import { FULL, SIZE } from './harness.js';
import { probe, Tally } from './fuzz-check.js';
import { sigv2 } from '../helpers/ec2-sign.js';
import { enc, fuzzWorld, type Answer, type FuzzWorld } from './fuzz-world.js';
import { BAD_ESCAPES, fuzzString, LONG_IDS } from './values.js';

type Pairs = [string, string][];

/** Ids of things that exist (found in answers), so requests reach past the lookups. */
const ID = /\b(?:i|ami|sg|vpc|subnet|eipalloc|eipassoc|key|vol|r|sgr|snap|lt|pg)-[0-9a-f]{8,17}\b/g;

/** Parameters for one model shape, named as the query protocol names them; lists with odd indexes too. */
function shapeArb(name: string, prefix: string, depth: number, known: string[]): fc.Arbitrary<Pairs> {
  const s = shape(name);
  const any = fuzzString(known);
  const leaf = (arb: fc.Arbitrary<string>) => arb.map((v): Pairs => [[prefix, v]]);
  switch (s.type) {
    case 'structure': {
      if (depth > 3) return fc.constant([]);
      const members = Object.entries(s.members ?? {});
      if (!members.length) return fc.constant([]);
      return fc
        .tuple(
          ...members.map(([m, mem]) =>
            fc.option(
              shapeArb(mem.shape, prefix ? `${prefix}.${wireName(m, mem)}` : wireName(m, mem), depth + 1, known),
              { freq: 2 },
            ),
          ),
        )
        .map((parts) => parts.flatMap((p) => p ?? []));
    }
    case 'list': {
      if (depth > 3) return fc.constant([]);
      const member = s.member!;
      return fc
        .array(
          fc.tuple(
            fc.oneof(
              { weight: 5, arbitrary: fc.constant('') },
              { weight: 1, arbitrary: fc.constantFrom('0', '1000', 'x', '-1') },
            ),
          ),
          { maxLength: 3 },
        )
        .chain((slots) =>
          fc.tuple(...slots.map(([odd], i) => shapeArb(member.shape, `${prefix}.${odd || i + 1}`, depth + 1, known))),
        )
        .map((parts) => parts.flat());
    }
    case 'map':
      return fc.constant([]);
    case 'integer':
    case 'long':
      return leaf(fc.oneof(fc.integer().map(String), fc.constantFrom('0', '-1', '1000', '2147483648', '1e3'), any));
    case 'boolean':
      return leaf(fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1'), any));
    case 'timestamp':
      return leaf(
        fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          any,
        ),
      );
    default:
      return leaf(
        s.enum?.length
          ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: any })
          : any,
      );
  }
}

/** An EC2 error answer: Response/Errors/Error with a Code and a Message, and a RequestID. */
function ec2Shape(a: Answer): string | undefined {
  if (
    !/^<\?xml[^>]*>\s*<Response><Errors><Error><Code>[^<]+<\/Code><Message>[^<]*<\/Message><\/Error><\/Errors><RequestID>[^<]+<\/RequestID><\/Response>$/.test(
      a.body,
    )
  )
    return 'not an EC2 error document';
  return undefined;
}

/**
 * Property-based fuzzing of every EC2 action the front implements, parameters generated from
 * the EC2 model's input shapes (names as the query protocol spells them, nested structures,
 * lists with odd indexes), with hostile and wrong-type values, as admin and as a user.
 */
describe(`fuzz: every EC2 action${FULL ? ' (full)' : ''}`, { timeout: 3_600_000 }, () => {
  let fw: FuzzWorld;
  const known: string[] = [
    't2.micro',
    'm1.small',
    'Sandbox-simulator-basic',
    'Sandbox-simulator-advanced',
    'us-east-1',
    'default',
    'tcp',
    '0.0.0.0/0',
    '10.0.0.0/16',
  ];
  const tally = new Tally();
  const actions = Object.keys(ACTIONS);
  const runs = Math.ceil(SIZE.fuzzRuns / 4 / actions.length);

  before(async () => {
    fw = await fuzzWorld();
    // A few real objects whose ids the generator may use.
    const call = async (params: Record<string, string>) => {
      const r = await fw.ec2(fw.admin, Object.entries({ Version: '2016-11-15', ...params }));
      for (const m of r.body.match(ID) ?? []) if (!known.includes(m)) known.push(m);
      await fw.drain();
      return r;
    };
    const image = (await call({ Action: 'DescribeImages' })).body.match(/ami-[0-9a-f]+/)![0];
    await call({ Action: 'CreateKeyPair', KeyName: 'fuzz-key' });
    await call({ Action: 'CreateSecurityGroup', GroupName: 'fuzz-sg', GroupDescription: 'fuzz' });
    await call({
      Action: 'RunInstances',
      ImageId: image,
      MinCount: '1',
      MaxCount: '1',
      InstanceType: 't2.micro',
      KeyName: 'fuzz-key',
    });
    await call({ Action: 'AllocateAddress' });
    await call({ Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' });
    await call({ Action: 'DescribeInstances' });
    known.push('fuzz-key', 'fuzz-sg');
  });
  after(() => fw.close());

  for (const action of actions) {
    it(action, async () => {
      const input = operation(action)?.input?.shape;
      const params = input ? shapeArb(input, '', 0, known) : fc.constant([] as Pairs);
      const before = tally.failures.length;
      await fc.assert(
        fc.asyncProperty(params, fc.boolean(), async (pairs, asTenant) => {
          const all: Pairs = [['Action', action], ['Version', '2016-11-15'], ...pairs];
          await probe(
            fw,
            tally,
            `${action} ${JSON.stringify(pairs).slice(0, 200)}`,
            () => fw.ec2(asTenant ? fw.tenant : fw.admin, all),
            ec2Shape,
          );
        }),
        { numRuns: runs, endOnFailure: true },
      );
      assert.deepEqual(tally.failures.slice(before), []);
    });
  }

  it('unknown, hostile and prototype-named actions', async () => {
    const before = tally.failures.length;
    const names = fc.oneof(
      fc.constantFrom(
        'constructor',
        '__proto__',
        'toString',
        'hasOwnProperty',
        'valueOf',
        'prototype',
        'isPrototypeOf',
      ),
      fuzzString(known),
      fc.constantFrom(...actions).map((a) => a.toLowerCase()),
    );
    await fc.assert(
      fc.asyncProperty(names, fc.boolean(), async (action, asTenant) => {
        await probe(
          fw,
          tally,
          `Action=${action.slice(0, 80)}`,
          () =>
            fw.ec2(asTenant ? fw.tenant : fw.admin, [
              ['Action', action],
              ['Version', '2016-11-15'],
            ]),
          ec2Shape,
          (a) => a.status === 200 && ACTIONS[action] !== undefined && Object.hasOwn(ACTIONS, action),
        );
      }),
      { numRuns: runs * 2, endOnFailure: true },
    );
    assert.deepEqual(tally.failures.slice(before), []);
  });

  it('malformed percent-escapes in signed and unsigned bodies and query strings', async () => {
    const before = tally.failures.length;
    const where = fc
      .tuple(
        fc.constantFrom('InstanceId.1', 'Filter.1.Name', 'GroupName', 'Action', 'x'),
        fc.constantFrom(...BAD_ESCAPES),
        fc.nat(2),
      )
      .map(([k, bad, at]) => [`${k}=${bad}`, `${bad}=1`, `${k}=a${bad}b`][at]!);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...actions),
        where,
        fc.constantFrom('sigv4', 'sigv4 query', 'sigv2', 'sigv2 query', 'unsigned', 'query'),
        async (action, extra, how) => {
          const body = `Action=${action}&Version=2016-11-15&${extra}`;
          // SigV2 signs the parameters themselves; the malformed one rides after the signature.
          const v2 = () =>
            `${Object.entries(
              sigv2(
                'localhost',
                { Action: action, Version: '2016-11-15' },
                fw.admin.apiKey,
                fw.admin.secretKey,
                new Date(fw.w.clock.now()),
              ),
            )
              .map(([k, v]) => `${enc(k)}=${enc(v)}`)
              .join('&')}&${extra}`;
          const form = { 'content-type': 'application/x-www-form-urlencoded' };
          const send = {
            sigv4: () => fw.ec2Body(fw.admin, body),
            'sigv4 query': () => fw.ec2Body(fw.admin, `Action=${action}&Version=2016-11-15`, extra),
            sigv2: () => fw.raw('POST', '/', form, v2()),
            'sigv2 query': () => fw.raw('GET', `/?${v2()}`, {}),
            unsigned: () => fw.raw('POST', '/', form, body),
            query: () => fw.raw('GET', `/?${body}`, {}),
          }[how];
          await probe(fw, tally, `${how} ${body}`, send, ec2Shape);
        },
      ),
      { numRuns: Math.max(60, runs * 8), endOnFailure: true },
    );
    assert.deepEqual(tally.failures.slice(before), []);
  });

  it('ids of 70,000 characters in every id parameter, and keys nested thousands deep', async () => {
    const before = tally.failures.length;
    for (const [i, action] of actions.entries()) {
      const members = Object.entries(shape(operation(action)?.input?.shape ?? 'x')?.members ?? {}).filter(([m]) =>
        /Ids?$|Name$/.test(m),
      );
      if (!members.length) continue;
      const long = LONG_IDS[i % LONG_IDS.length]!;
      const pairs: Pairs = members.map(([m, mem]) => [
        m.endsWith('s') ? `${wireName(m, mem)}.1` : wireName(m, mem),
        long,
      ]);
      await probe(
        fw,
        tally,
        `${action} ${members.map(([m]) => m).join(',')}=<${long.length} chars>`,
        () => fw.ec2(fw.admin, [['Action', action], ['Version', '2016-11-15'], ...pairs]),
        ec2Shape,
      );
    }
    for (const depth of [100, 5_000])
      await probe(
        fw,
        tally,
        `DescribeInstances Filter key ${depth} deep`,
        () =>
          fw.ec2(fw.admin, [
            ['Action', 'DescribeInstances'],
            ['Version', '2016-11-15'],
            [`Filter${'.1'.repeat(depth)}.Name`, 'x'],
          ]),
        ec2Shape,
      );
    assert.deepEqual(tally.failures.slice(before), []);
  });

  /** Make one, change it with nothing, describe it, delete it twice, change the deleted one. */
  const SEQUENCES: {
    entity: string;
    create: (n: number) => Pairs;
    id: RegExp;
    steps: [string, (id: string) => Pairs][];
  }[] = [
    {
      entity: 'instance',
      create: () => [
        ['Action', 'RunInstances'],
        ['ImageId', known.find((k) => k.startsWith('ami-'))!],
        ['MinCount', '1'],
        ['MaxCount', '1'],
        ['InstanceType', 't2.micro'],
      ],
      id: /i-[0-9a-f]{8,17}/,
      steps: [
        ['ModifyInstanceAttribute', (id) => [['InstanceId', id]]],
        ['DescribeInstances', (id) => [['InstanceId.1', id]]],
        ['TerminateInstances', (id) => [['InstanceId.1', id]]],
        ['TerminateInstances', (id) => [['InstanceId.1', id]]],
        [
          'ModifyInstanceAttribute',
          (id) => [
            ['InstanceId', id],
            ['InstanceType', 'm1.small'],
          ],
        ],
      ],
    },
    {
      entity: 'volume',
      create: () => [
        ['Action', 'CreateVolume'],
        ['AvailabilityZone', 'Sandbox-simulator-advanced'],
        ['Size', '1'],
      ],
      id: /vol-[0-9a-f]{8,17}/,
      steps: [
        ['ModifyVolume', (id) => [['VolumeId', id]]],
        ['DescribeVolumes', (id) => [['VolumeId.1', id]]],
        ['DeleteVolume', (id) => [['VolumeId', id]]],
        ['DeleteVolume', (id) => [['VolumeId', id]]],
        ['ModifyVolume', (id) => [['VolumeId', id]]],
      ],
    },
    {
      entity: 'security group',
      create: (n) => [
        ['Action', 'CreateSecurityGroup'],
        ['GroupName', `seq-sg-${n}`],
        ['GroupDescription', 'seq'],
      ],
      id: /sg-[0-9a-f]{8,17}/,
      steps: [
        ['DescribeSecurityGroups', (id) => [['GroupId.1', id]]],
        ['DeleteSecurityGroup', (id) => [['GroupId', id]]],
        ['DeleteSecurityGroup', (id) => [['GroupId', id]]],
        [
          'AuthorizeSecurityGroupIngress',
          (id) => [
            ['GroupId', id],
            ['IpPermissions.1.IpProtocol', 'tcp'],
            ['IpPermissions.1.FromPort', '22'],
            ['IpPermissions.1.ToPort', '22'],
          ],
        ],
      ],
    },
    {
      entity: 'key pair',
      create: (n) => [
        ['Action', 'CreateKeyPair'],
        ['KeyName', `seq-key-${n}`],
      ],
      id: /key-[0-9a-f]{8,17}/,
      steps: [
        ['DescribeKeyPairs', (id) => [['KeyPairId.1', id]]],
        ['DeleteKeyPair', (id) => [['KeyPairId', id]]],
        ['DeleteKeyPair', (id) => [['KeyPairId', id]]],
        ['DescribeKeyPairs', (id) => [['KeyPairId.1', id]]],
      ],
    },
    {
      entity: 'address',
      create: () => [['Action', 'AllocateAddress']],
      id: /eipalloc-[0-9a-f]{8,17}/,
      steps: [
        ['DescribeAddresses', (id) => [['AllocationId.1', id]]],
        ['ReleaseAddress', (id) => [['AllocationId', id]]],
        ['ReleaseAddress', (id) => [['AllocationId', id]]],
        ['DescribeAddresses', (id) => [['AllocationId.1', id]]],
      ],
    },
    {
      entity: 'vpc',
      create: () => [
        ['Action', 'CreateVpc'],
        ['CidrBlock', '10.66.0.0/16'],
      ],
      id: /vpc-[0-9a-f]{8,17}/,
      steps: [
        [
          'DescribeVpcAttribute',
          (id) => [
            ['VpcId', id],
            ['Attribute', 'enableDnsSupport'],
          ],
        ],
        ['DescribeVpcs', (id) => [['VpcId.1', id]]],
        ['DeleteVpc', (id) => [['VpcId', id]]],
        ['DeleteVpc', (id) => [['VpcId', id]]],
        [
          'DescribeVpcAttribute',
          (id) => [
            ['VpcId', id],
            ['Attribute', 'enableDnsSupport'],
          ],
        ],
      ],
    },
  ];
  for (const seq of SEQUENCES) {
    it(`stateful sequence: ${seq.entity} (create, ${seq.steps.map(([a]) => a).join(', ')}), in order and shuffled`, async () => {
      const before = tally.failures.length;
      // The per-action fuzz may have left EBS encryption by default on (when its random extras let an
      // EnableEbsEncryptionByDefault through): then CreateVolume rightly refuses on a cloud with no
      // encrypting offering. A sequence starts from the account's defaults.
      assert.equal(
        (
          await fw.ec2(fw.admin, [
            ['Action', 'DisableEbsEncryptionByDefault'],
            ['Version', '2016-11-15'],
          ])
        ).status,
        200,
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.shuffledSubarray(seq.steps, { minLength: seq.steps.length }), async (steps) => {
          const c = await probe(
            fw,
            tally,
            `${seq.entity} create`,
            () => fw.ec2(fw.admin, [['Version', '2016-11-15'], ...seq.create(++n)]),
            ec2Shape,
          );
          const id = seq.id.exec(c.body)?.[0];
          if (c.status !== 200 || !id)
            return void tally.fail(`${seq.entity} was not made: ${c.status} ${c.body.slice(0, 300)}`);
          for (const [action, params] of steps)
            await probe(
              fw,
              tally,
              `${seq.entity} ${steps.map(([a]) => a).join('→')}: ${action}`,
              () => fw.ec2(fw.admin, [['Action', action], ['Version', '2016-11-15'], ...params(id)]),
              ec2Shape,
            );
        }),
        { numRuns: 3, examples: [[seq.steps]], endOnFailure: true },
      );
      assert.deepEqual(tally.failures.slice(before), []);
    });
  }

  it('sent the planned number of requests', (t) => {
    t.diagnostic(`ec2 fuzz ${JSON.stringify(tally.summary())}`);
    assert.ok(tally.requests >= runs * actions.length, `${tally.requests}`);
  });
});
