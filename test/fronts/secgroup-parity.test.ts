import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, fuzzWorld, type FuzzWorld } from '../reliability/fuzz-world.js';
import { canonical, fromCloudStack, keys, protoName, wider, type Allowed } from './secgroup-rules.js';

/**
 * Security-group semantics parity (issue 13): permissions and firewalls generated at random go in
 * through the EC2 and GCE fronts; what CloudStack then holds (listSecurityGroups through its API)
 * and what the front shows must never allow more than was asked, and must be exactly what was
 * asked when the request was accepted. Requests that cannot be mapped must be refused and leave
 * nothing behind. Bounded runs, so this takes seconds.
 */
const RUNS = Number(process.env['POLYSTACK_PARITY_RUNS'] ?? 40);
const xml = new XMLParser({ parseTagValue: false });
const arr = (x: any): any[] => (x === undefined || x === '' ? [] : Array.isArray(x) ? x : [x]);

type Src =
  | { cidr: string }
  | { v6: string }
  | { peer: 'id' | 'name'; name: string }
  | { missing: 'id' | 'name' }
  | { prefix: string };
interface Perm {
  proto: string;
  ports?: [number, number];
  sources: Src[];
}

const octet = fc.integer({ min: 0, max: 255 });
const v4cidr = fc
  .tuple(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 }))
  .map(([a, b, c, d, p]) => `${a}.${b}.${c}.${d}/${p}`);
const v6cidr = fc.constantFrom('2001:db8::/32', '2001:db8:1::/48', '::/0', 'fd00::/8');
const srcArb: fc.Arbitrary<Src> = fc.oneof(
  { weight: 8, arbitrary: v4cidr.map((cidr) => ({ cidr })) },
  { weight: 2, arbitrary: v6cidr.map((v6) => ({ v6 })) },
  {
    weight: 6,
    arbitrary: fc.record({
      peer: fc.constantFrom('id' as const, 'name' as const),
      name: fc.constantFrom('peer-a', 'peer-b'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ missing: fc.constantFrom('id' as const, 'name' as const) }) },
  { weight: 1, arbitrary: fc.constant({ prefix: 'pl-0123456789abcdef0' }) },
);
const portRange = fc
  .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]);
/** Ports that fit the protocol mostly, and now and then ones CloudStack would read wider or not at all. */
const portsFor = (proto: string): fc.Arbitrary<[number, number] | undefined> => {
  const odd = fc.constantFrom<[number, number] | undefined>(
    [0, 0],
    [-1, -1],
    [-1, 5],
    [3, -1],
    [9, 2],
    [0, 256],
    undefined,
  );
  const fit = ['tcp', 'udp', '6', '17'].includes(proto)
    ? fc.oneof(portRange, fc.constantFrom<[number, number]>([22, 22], [0, 65535]))
    : ['icmp', '1'].includes(proto)
      ? fc.constantFrom<[number, number]>([-1, -1], [8, 0], [3, -1])
      : fc.oneof(portRange, fc.constant(undefined));
  return fc.oneof({ weight: 6, arbitrary: fit }, { weight: 1, arbitrary: odd });
};
const permArb: fc.Arbitrary<Perm> = fc
  .constantFrom('-1', 'tcp', 'udp', 'icmp', '6', '17', '1', '50', 'icmpv6')
  .chain((proto) =>
    fc.record({
      proto: fc.constant(proto),
      ports: portsFor(proto),
      sources: fc.oneof(
        { weight: 8, arbitrary: fc.array(srcArb, { minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constant<Src[]>([]) },
      ),
    }),
  );

/** Whether the front must refuse the permission (no source, a source CloudStack has no form for, ports it would read wider). */
function unmappable(p: Perm): boolean {
  if (!p.sources.length || p.sources.some((s) => 'missing' in s || 'prefix' in s)) return true;
  const name = protoName(p.proto);
  const [from, to] = p.ports ?? [undefined, undefined];
  if (name === 'tcp' || name === 'udp')
    return from === undefined || to === undefined || from < 0 || to > 65535 || from > to || (from === 0 && to === 0);
  if (name === 'icmp')
    return [from ?? -1, to ?? -1].some((n) => n < -1 || n > 255) || ((from ?? -1) === -1 && (to ?? -1) !== -1);
  if (name === '58') return (from ?? -1) !== -1 || (to ?? -1) !== -1;
  return false;
}

/** What a permission asks for, as tuples; group sources are the admin's peer groups. */
function asked(dir: Allowed['dir'], p: Perm): Allowed[] {
  const proto = protoName(p.proto);
  const [lo, hi] =
    proto === 'tcp' || proto === 'udp'
      ? (p.ports ?? [null, null])
      : proto === 'icmp'
        ? [p.ports?.[0] ?? -1, p.ports?.[1] ?? -1]
        : [null, null];
  return p.sources.map((s) => ({
    dir,
    proto,
    lo,
    hi,
    src: 'cidr' in s ? canonical(s.cidr) : 'v6' in s ? s.v6 : `group:admin/${(s as { name: string }).name}`,
  }));
}

/** The query parameters of permissions (UserIdGroupPairs go on the wire as Groups). */
function wire(perms: Perm[], peers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  perms.forEach((p, i) => {
    const at = `IpPermissions.${i + 1}`;
    out[`${at}.IpProtocol`] = p.proto;
    if (p.ports) [out[`${at}.FromPort`], out[`${at}.ToPort`]] = p.ports.map(String) as [string, string];
    const n = { ip: 0, v6: 0, g: 0, pl: 0 };
    for (const s of p.sources) {
      if ('cidr' in s) out[`${at}.IpRanges.${++n.ip}.CidrIp`] = s.cidr;
      else if ('v6' in s) out[`${at}.Ipv6Ranges.${++n.v6}.CidrIpv6`] = s.v6;
      else if ('prefix' in s) out[`${at}.PrefixListIds.${++n.pl}.PrefixListId`] = s.prefix;
      else if ('peer' in s)
        out[`${at}.Groups.${++n.g}.${s.peer === 'id' ? 'GroupId' : 'GroupName'}`] =
          s.peer === 'id' ? peers[s.name]! : s.name;
      else
        out[`${at}.Groups.${++n.g}.${s.missing === 'id' ? 'GroupId' : 'GroupName'}`] =
          s.missing === 'id' ? 'sg-0123456789abcdef0' : 'no-such-group';
    }
  });
  return out;
}

/** EC2's IpPermissions (parsed XML) as tuples. */
function fromEc2(dir: Allowed['dir'], perms: any, names: Record<string, string>): Allowed[] {
  return arr(perms?.item).flatMap((p: any) => {
    const proto = protoName(p.ipProtocol);
    const ports = proto === 'tcp' || proto === 'udp' || proto === 'icmp';
    const base = { dir, proto, lo: ports ? Number(p.fromPort) : null, hi: ports ? Number(p.toPort) : null };
    return [
      ...arr(p.ipRanges?.item).map((r: any) => ({ ...base, src: r.cidrIp })),
      ...arr(p.ipv6Ranges?.item).map((r: any) => ({ ...base, src: r.cidrIpv6 })),
      ...arr(p.groups?.item).map((g: any) => ({
        ...base,
        src: `group:${names[g.groupId] ? 'admin' : '?'}/${g.groupName}`,
      })),
      ...arr(p.prefixListIds?.item).map(() => ({ ...base, src: '0.0.0.0/0' })),
    ];
  });
}

/** A value one time in six, else undefined: each of these alone makes a request unmappable. */
const rarely = <T>(v: T): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(v) });

describe('security-group semantics parity: EC2 and GCE rules never widen', { timeout: 120_000 }, () => {
  let fw: FuzzWorld;
  const peers: Record<string, string> = {};
  const ec2 = async (params: Record<string, string>) => {
    const r = await fw.ec2(fw.admin, Object.entries({ Version: '2016-11-15', ...params }));
    await fw.drain();
    return { status: r.status, doc: xml.parse(r.body), code: /<Code>([^<]+)<\/Code>/.exec(r.body)?.[1] };
  };
  const csGroup = async (name: string) => {
    const r = await fw.cs(
      fw.admin,
      [
        ['command', 'listSecurityGroups'],
        ['response', 'json'],
        ['securitygroupname', name],
      ],
      'GET',
    );
    return JSON.parse(r.body).listsecuritygroupsresponse.securitygroup?.[0];
  };
  const csRules = (g: any): Allowed[] => [
    ...arr(g?.ingressrule).map((r) => fromCloudStack('ingress', r)),
    ...arr(g?.egressrule).map((r) => fromCloudStack('egress', r)),
  ];

  before(async () => {
    fw = await fuzzWorld();
    for (const name of ['peer-a', 'peer-b'])
      peers[name] = (
        await ec2({ Action: 'CreateSecurityGroup', GroupName: name, GroupDescription: name })
      ).doc.CreateSecurityGroupResponse.groupId;
  });
  after(() => fw.close());

  it('EC2: authorize, describe, revoke', async (t) => {
    let run = 0;
    const tally = { accepted: 0, refused: 0 };
    const byId = Object.fromEntries(Object.entries(peers).map(([n, id]) => [id, n]));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('ingress' as const, 'egress' as const),
        fc.array(permArb, { minLength: 1, maxLength: 3 }),
        async (dir, perms) => {
          const name = `p-${run++}`;
          const groupId = (await ec2({ Action: 'CreateSecurityGroup', GroupName: name, GroupDescription: 'parity' }))
            .doc.CreateSecurityGroupResponse.groupId;
          const want = perms.flatMap((p) => asked(dir, p));
          const refuse = perms.some(unmappable) || new Set(keys(want)).size !== want.length;
          const verb = dir === 'ingress' ? 'Ingress' : 'Egress';
          const r = await ec2({ Action: `AuthorizeSecurityGroup${verb}`, GroupId: groupId, ...wire(perms, peers) });

          const held = csRules(await csGroup(name));
          assert.deepEqual(wider(held, want), [], `CloudStack holds more than was asked (${r.code ?? 'accepted'})`);
          const d = (await ec2({ Action: 'DescribeSecurityGroups', 'GroupId.1': groupId })).doc
            .DescribeSecurityGroupsResponse.securityGroupInfo.item;
          const shown = [
            ...fromEc2('ingress', d.ipPermissions, byId),
            ...fromEc2('egress', d.ipPermissionsEgress, byId),
          ];
          const allEgress = { dir: 'egress' as const, proto: 'all', lo: null, hi: null, src: '0.0.0.0/0' };
          // With no egress rule CloudStack allows all egress, and EC2 shows exactly that.
          const expectShown = (rules: Allowed[]) =>
            keys(rules.some((x) => x.dir === 'egress') ? rules : [...rules, allEgress]);
          tally[refuse ? 'refused' : 'accepted']++;
          if (refuse) {
            assert.notEqual(r.status, 200, `accepted what cannot be mapped: ${JSON.stringify(perms)}`);
            assert.deepEqual(held, [], `a refused request left rules behind (${r.code})`);
            assert.deepEqual(keys(shown), expectShown([]));
          } else {
            assert.equal(r.status, 200, `refused a mappable request with ${r.code}: ${JSON.stringify(perms)}`);
            assert.deepEqual(keys(held), keys(want), 'CloudStack holds other than was asked');
            assert.deepEqual(keys(shown), expectShown(want), 'DescribeSecurityGroups shows other than was asked');
            // Revoking the same permissions takes them away; the last egress rules stay (CloudStack would then allow all egress).
            const v = await ec2({ Action: `RevokeSecurityGroup${verb}`, GroupId: groupId, ...wire(perms, peers) });
            const left = csRules(await csGroup(name));
            if (dir === 'ingress') assert.deepEqual([v.status, left], [200, []]);
            else assert.deepEqual([v.code, keys(left)], ['UnsupportedOperation', keys(want)]);
          }
          assert.equal((await ec2({ Action: 'DeleteSecurityGroup', GroupId: groupId })).status, 200);
        },
      ),
      { numRuns: RUNS, includeErrorInReport: true },
    );
    t.diagnostic(`EC2 requests accepted ${tally.accepted}, refused ${tally.refused}`);
    // A property whose requests were all refused (or all accepted) would prove little.
    assert.ok(tally.accepted > 0 && tally.refused > 0);
  });

  it('GCE: firewalls insert and get', async (t) => {
    const tally = { accepted: 0, refused: 0 };
    const range = fc.oneof(
      v4cidr.map(canonical),
      fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
      fc.constantFrom('2001:db8::/32', '2001:db8::5'),
    );
    const portSpec = fc
      .oneof(
        fc.integer({ min: 1, max: 65535 }).map(String),
        fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 3000, max: 65535 })).map(([a, b]) => `${a}-${b}`),
        rarely('0'),
        rarely('0-0'),
      )
      .filter((p): p is string => p !== undefined);
    const allowed = fc.constantFrom('tcp', 'udp', 'icmp', 'all', '6', '17').chain((IPProtocol) =>
      fc.record({
        IPProtocol: fc.constant(IPProtocol),
        ports: ['tcp', 'udp', '6', '17'].includes(IPProtocol)
          ? fc.option(fc.uniqueArray(portSpec, { minLength: 1, maxLength: 2 }), { nil: undefined })
          : rarely(['22']),
      }),
    );
    const firewall = fc.record({
      direction: fc.constantFrom('INGRESS', 'EGRESS'),
      allowed: fc.uniqueArray(allowed, { minLength: 1, maxLength: 3, selector: (a) => protoName(a.IPProtocol) }),
      ranges: fc.array(range, { maxLength: 2 }),
      sourceTags: rarely(['web']),
      targetTags: fc.option(fc.constant(['db']), { nil: undefined }),
      crossRanges: rarely(['10.0.0.0/8']),
      disabled: fc.oneof(fc.constant(undefined), fc.constant(false), rarely(true)),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(firewall, async (f) => {
        const name = `fw-${run++}`;
        const dir = f.direction === 'INGRESS' ? 'ingress' : 'egress';
        const [mine, other] =
          f.direction === 'INGRESS' ? ['sourceRanges', 'destinationRanges'] : ['destinationRanges', 'sourceRanges'];
        const body = {
          name,
          direction: f.direction,
          allowed: f.allowed,
          [mine]: f.ranges,
          ...(f.crossRanges ? { [other]: f.crossRanges } : {}),
          ...(f.sourceTags ? { sourceTags: f.sourceTags } : {}),
          ...(f.targetTags ? { targetTags: f.targetTags } : {}),
          ...(f.disabled !== undefined ? { disabled: f.disabled } : {}),
        };
        const cidrs = (f.ranges.length ? f.ranges : ['0.0.0.0/0']).map((r) =>
          r.includes('/') ? r : `${r}/${r.includes(':') ? 128 : 32}`,
        );
        const want: Allowed[] = f.allowed.flatMap((a) => {
          const proto = protoName(a.IPProtocol);
          const ports: [number | null, number | null][] =
            proto === 'icmp'
              ? [[-1, -1]]
              : proto === 'all'
                ? [[null, null]]
                : a.ports
                  ? a.ports.map((p) => p.split('-').map(Number)).map(([s, e]) => [s!, e ?? s!])
                  : [[0, 65535]];
          return ports.flatMap(([lo, hi]) =>
            cidrs.map((src) => ({ dir, proto, lo, hi, src: canonical(src) }) as Allowed),
          );
        });
        const refuse =
          !!f.sourceTags ||
          !!f.crossRanges ||
          f.disabled === true ||
          f.allowed.some(
            (a) =>
              a.ports &&
              (!['tcp', 'udp'].includes(protoName(a.IPProtocol)) || a.ports.some((p) => p === '0' || p === '0-0')),
          );

        const r = await fw.gce(
          ADMIN_TOKEN,
          'POST',
          '/compute/v1/projects/admin/global/firewalls',
          JSON.stringify(body),
        );
        await fw.drain();
        const g = await csGroup(name);
        const held = csRules(g);
        assert.deepEqual(
          wider(held, want),
          [],
          `CloudStack holds more than was asked (${r.status} ${r.body.slice(0, 200)})`,
        );
        tally[refuse ? 'refused' : 'accepted']++;
        if (refuse) {
          assert.equal(
            g,
            undefined,
            `a firewall that cannot be mapped was made: ${JSON.stringify(body)} -> ${r.status}`,
          );
          return;
        }
        assert.equal(r.status, 200, `refused a mappable firewall: ${JSON.stringify(body)} -> ${r.body}`);
        // Full port ranges: Google's 0-65535, CloudStack's 1-65535, both "all ports".
        const full = (as: Allowed[]) =>
          keys(
            as.map((a) =>
              (a.proto === 'tcp' || a.proto === 'udp') && a.lo! <= 1 && a.hi === 65535 ? { ...a, lo: 0 } : a,
            ),
          );
        assert.deepEqual(full(held), full(want), 'CloudStack holds other than was asked');
        const got = JSON.parse(
          (await fw.gce(ADMIN_TOKEN, 'GET', `/compute/v1/projects/admin/global/firewalls/${name}`)).body,
        );
        const shown: Allowed[] = got.allowed.flatMap((a: any) => {
          const proto = protoName(a.IPProtocol);
          const ports =
            proto === 'icmp'
              ? [[-1, -1]]
              : proto === 'all'
                ? [[null, null]]
                : a.ports
                  ? a.ports.map((p: string) => p.split('-').map(Number)).map(([s, e]: number[]) => [s, e ?? s])
                  : [[0, 65535]];
          return ports.flatMap(([lo, hi]: any[]) =>
            (got[mine] ?? []).map((src: string) => ({ dir, proto, lo, hi, src: canonical(src) })),
          );
        });
        assert.equal(got.direction, f.direction);
        assert.deepEqual(full(shown), full(want), 'firewalls.get shows other than was asked');
        assert.deepEqual(got.targetTags, f.targetTags ?? []);
        assert.equal(
          (await fw.gce(ADMIN_TOKEN, 'DELETE', `/compute/v1/projects/admin/global/firewalls/${name}`)).status,
          200,
        );
        await fw.drain();
      }),
      { numRuns: RUNS, includeErrorInReport: true },
    );
    t.diagnostic(`GCE firewalls accepted ${tally.accepted}, refused ${tally.refused}`);
    assert.ok(tally.accepted > 0 && tally.refused > 0);
  });

  it('group references: CloudStack names groups by account in the domain, refuses a rule without source, keeps a named group', async () => {
    const job = async (creds: { apiKey: string; secretKey: string }, params: [string, string][]) => {
      const started = JSON.parse((await fw.cs(creds, [['response', 'json'], ...params], 'POST')).body);
      const jobid = (Object.values(started)[0] as any).jobid;
      await fw.drain();
      const r = JSON.parse(
        (
          await fw.cs(
            creds,
            [
              ['command', 'queryAsyncJobResult'],
              ['response', 'json'],
              ['jobid', jobid],
            ],
            'GET',
          )
        ).body,
      ).queryasyncjobresultresponse;
      return { code: r.jobresultcode as number, text: String(r.jobresult?.errortext ?? '') };
    };
    const admin = await csGroup('peer-a');
    const tcp22: [string, string][] = [
      ['command', 'authorizeSecurityGroupIngress'],
      ['securitygroupid', admin.id],
      ['protocol', 'tcp'],
      ['startport', '22'],
      ['endport', '22'],
    ];
    // Neither a CIDR nor a group: CloudStack 4.18 refuses; it is not 0.0.0.0/0.
    assert.deepEqual(await job(fw.admin, tcp22), {
      code: 431,
      text: 'At least one cidr or at least one security group needs to be specified',
    });
    assert.match(
      (await job(fw.admin, [...tcp22, ['usersecuritygrouplist[0].group', 'peer-b']])).text,
      /fields 'group' and 'account' cannot be null/,
    );
    assert.match(
      (
        await job(fw.admin, [
          ...tcp22,
          ['usersecuritygrouplist[0].group', 'nope'],
          ['usersecuritygrouplist[0].account', 'admin'],
        ])
      ).text,
      /Nonexistent group nope for account admin/,
    );
    assert.deepEqual(csRules(await csGroup('peer-a')), []);
    // Another account of the domain may name the admin's group (CloudStack checks the domain, not the caller).
    const t = await fw.addTenant('sg-tenant');
    const made = JSON.parse(
      (
        await fw.cs(
          t,
          [
            ['command', 'createSecurityGroup'],
            ['response', 'json'],
            ['name', 'tenant-web'],
          ],
          'POST',
        )
      ).body,
    ).createsecuritygroupresponse.securitygroup;
    const ok = await job(t, [
      ['command', 'authorizeSecurityGroupIngress'],
      ['securitygroupid', made.id],
      ['protocol', 'tcp'],
      ['startport', '443'],
      ['endport', '443'],
      ['usersecuritygrouplist[0].group', 'peer-a'],
      ['usersecuritygrouplist[0].account', 'admin'],
    ]);
    assert.equal(ok.code, 0);
    const listed = JSON.parse(
      (
        await fw.cs(
          t,
          [
            ['command', 'listSecurityGroups'],
            ['response', 'json'],
            ['id', made.id],
          ],
          'GET',
        )
      ).body,
    ).listsecuritygroupsresponse.securitygroup[0];
    assert.deepEqual(
      listed.ingressrule.map((r: any) => [r.protocol, r.startport, r.cidr, r.account, r.securitygroupname]),
      [['tcp', 443, undefined, 'admin', 'peer-a']],
    );
    // A group another group's rule names stays (DependencyViolation); one that names only itself goes, as on AWS.
    assert.equal((await ec2({ Action: 'DeleteSecurityGroup', GroupName: 'peer-a' })).code, 'DependencyViolation');
    const selfish = (await ec2({ Action: 'CreateSecurityGroup', GroupName: 'selfish', GroupDescription: 's' })).doc
      .CreateSecurityGroupResponse.groupId;
    const inner = await ec2({
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: selfish,
      'IpPermissions.1.IpProtocol': '-1',
      'IpPermissions.1.Groups.1.GroupId': selfish,
    });
    assert.equal(inner.status, 200);
    assert.equal((await ec2({ Action: 'DeleteSecurityGroup', GroupId: selfish })).status, 200);
    assert.equal(await csGroup('selfish'), undefined);
    // The GCE view of a group with a group-sourced rule leaves that rule out rather than show it open from the group's ranges.
    const mixed = (await ec2({ Action: 'CreateSecurityGroup', GroupName: 'mixed', GroupDescription: 'm' })).doc
      .CreateSecurityGroupResponse.groupId;
    const perms = {
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': '22',
      'IpPermissions.1.ToPort': '22',
      'IpPermissions.1.Groups.1.GroupName': 'peer-b',
    };
    const cidr = {
      'IpPermissions.2.IpProtocol': 'tcp',
      'IpPermissions.2.FromPort': '80',
      'IpPermissions.2.ToPort': '80',
      'IpPermissions.2.IpRanges.1.CidrIp': '10.0.0.0/8',
    };
    assert.equal(
      (await ec2({ Action: 'AuthorizeSecurityGroupIngress', GroupId: mixed, ...perms, ...cidr })).status,
      200,
    );
    const view = JSON.parse(
      (await fw.gce(ADMIN_TOKEN, 'GET', '/compute/v1/projects/admin/global/firewalls/mixed')).body,
    );
    assert.deepEqual([view.allowed, view.sourceRanges], [[{ IPProtocol: 'tcp', ports: ['80'] }], ['10.0.0.0/8']]);
    // The legacy form (boto 2): SourceSecurityGroupName alone is all of TCP, UDP and ICMP from that group.
    assert.equal(
      (await ec2({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'mixed', SourceSecurityGroupName: 'peer-a' }))
        .status,
      200,
    );
    const legacy = csRules(await csGroup('mixed')).filter((a) => a.src === 'group:admin/peer-a');
    assert.deepEqual(keys(legacy), [
      'ingress icmp -1--1 group:admin/peer-a',
      'ingress tcp 0-65535 group:admin/peer-a',
      'ingress udp 0-65535 group:admin/peer-a',
    ]);
  });
});
