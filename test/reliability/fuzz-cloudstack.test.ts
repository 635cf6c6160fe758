import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { apiSpec, type ApiParamSpec } from '../../src/cloudstack/spec.js';
import { FULL, SIZE } from './harness.js';
import { probe, Tally } from './fuzz-check.js';
import { fuzzWorld, type Answer, type FuzzWorld } from './fuzz-world.js';
import { fuzzString, HOSTILE } from './values.js';

type Pairs = [string, string][];

/** Ids and names that exist, so generated requests get past lookups and reach deeper code. */
async function knownValues(fw: FuzzWorld): Promise<{ ids: string[]; names: string[] }> {
  const db = fw.w.store.db as any;
  const ids: string[] = [];
  for (const table of ['zones', 'pods', 'clusters', 'hosts', 'templates', 'serviceOfferings', 'diskOfferings', 'networkOfferings', 'networks', 'vms', 'volumes', 'securityGroups', 'securityGroupRules', 'publicIps', 'accounts', 'domains', 'users', 'vpcs', 'vpcOfferings', 'affinityGroups', 'instanceGroups', 'jobs', 'osTypes', 'firewallRules', 'portForwardingRules', 'loadBalancerRules', 'networkAcls', 'routers', 'nics', 'sshKeyPairs']) {
    for (const r of await db.selectFrom(table).select('id').limit(8).execute()) ids.push(String(r.id));
  }
  const names = ['admin', 'fuzz-tenant', 'ROOT', '/', 'Small Instance', 'default', 'UserVm', 'tcp', 'udp', 'icmp', 'all', '0.0.0.0/0', '10.1.1.0/24', 'Allow', 'Deny', 'Ingress', 'host anti-affinity', 'roundrobin', 'featured', 'self', 'executable'];
  return { ids, names };
}

function valueFor(p: ApiParamSpec, known: { ids: string[]; names: string[] }): fc.Arbitrary<Pairs> {
  const name = p.name.toLowerCase();
  const any = fuzzString([...known.ids, ...known.names]);
  const single = (arb: fc.Arbitrary<string>) => arb.map((v): Pairs => [[name, v]]);
  switch (p.type) {
    case 'uuid':
      return single(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known.ids) }, { weight: 2, arbitrary: any }));
    case 'integer':
    case 'long':
    case 'short':
      return single(fc.oneof(fc.integer().map(String), fc.constantFrom('0', '-1', '65535', '65536', '2147483647', '2147483648', '9223372036854775807', '1.0', ' 1'), any));
    case 'boolean':
      return single(fc.oneof(fc.constantFrom('true', 'false', 'TRUE', 'False', '1', 'yes', ''), any));
    case 'date':
      return single(fc.oneof(fc.constantFrom('2024-01-01', '2024-01-01 10:00:00', '2024-01-01T10:00:00+0000', '2024-13-45', '0000-00-00'), any));
    case 'list':
      return single(fc.array(fc.oneof(fc.constantFrom(...known.ids), any), { maxLength: 5 }).map((xs) => xs.join(',')));
    case 'map':
      // name[i].field=value: indexes and fields as clients get them right and wrong.
      return fc
        .array(fc.tuple(fc.constantFrom('0', '1', '2', 'x', '-1', '99999999999', ''), fc.constantFrom('key', 'value', 'name', 'protocol', 'cidrlist', '', 'a.b'), any), { minLength: 1, maxLength: 4 })
        .map((entries): Pairs => entries.map(([i, f, v]) => [`${name}[${i}]${f ? `.${f}` : ''}`, v]));
    default:
      return single(fc.oneof({ weight: 3, arbitrary: any }, { weight: 1, arbitrary: fc.constantFrom(...known.names) }));
  }
}

/** A request for one command: any subset of its parameters, sometimes every required one, plus stray names. */
function requestFor(command: string, known: { ids: string[]; names: string[] }): fc.Arbitrary<{ pairs: Pairs; method: 'GET' | 'POST'; asTenant: boolean }> {
  const params = apiSpec(command)!.params;
  const required = params.filter((p) => p.required);
  const stray = fc.tuple(fc.constantFrom('apikey', 'signature', 'command', 'response', 'sessionkey', 'page', 'pagesize', 'listall', 'projectid', 'x'.repeat(300), '', '[', ...HOSTILE.slice(0, 8)), fuzzString());
  return fc.record({
    chosen: fc.subarray(params),
    withRequired: fc.boolean(),
    seed: fc.integer(),
    stray: fc.array(stray, { maxLength: 2 }),
    method: fc.constantFrom('GET' as const, 'POST' as const),
    asTenant: fc.boolean(),
  }).chain(({ chosen, withRequired, stray: extra, method, asTenant }) => {
    const ps = withRequired ? [...new Set([...required, ...chosen])] : chosen;
    return fc.tuple(...ps.map((p) => valueFor(p, known))).map((vals) => ({
      pairs: [['command', command], ['response', 'json'], ...vals.flat(), ...extra.filter(([k]) => !['command', 'response', 'apikey', 'signature'].includes(k))] as Pairs,
      method, asTenant,
    }));
  });
}

/** A CloudStack error answer: the envelope with errorcode = HTTP status and an errortext. */
function csShape(a: Answer): string | undefined {
  let parsed: any;
  try {
    parsed = JSON.parse(a.body);
  } catch {
    return a.status === 405 ? undefined : 'not JSON';
  }
  const body = parsed[Object.keys(parsed)[0]!];
  if (body?.errorcode !== a.status) return `errorcode ${body?.errorcode} is not the status`;
  if (typeof body.errortext !== 'string') return 'no errortext';
  return undefined;
}

/**
 * Property-based fuzzing of every CloudStack command polystack serves (the command registry,
 * parameters from the 4.18 listApis spec): malformed, oversized, wrong-type and hostile values
 * in any parameter, as admin and as a user. Builds on test/protocol/bad-input.test.ts, which
 * sends a fixed list per parameter; here fast-check draws SIZE.fuzzRuns/2 requests in all.
 */
describe(`fuzz: every CloudStack command${FULL ? ' (full)' : ''}`, { timeout: 3_600_000 }, () => {
  let fw: FuzzWorld;
  let known: { ids: string[]; names: string[] };
  const tally = new Tally();
  const commands = [...COMMANDS.values()].filter((d) => d.name !== 'login' && d.name !== 'logout').map((d) => d.name);
  const runs = Math.ceil(SIZE.fuzzRuns / 2 / commands.length);

  before(async () => {
    fw = await fuzzWorld();
    known = await knownValues(fw);
  });
  after(async () => {
    await fw.close();
  });

  for (const command of commands) {
    it(command, async () => {
      const before = tally.failures.length;
      await fc.assert(
        fc.asyncProperty(requestFor(command, known), async ({ pairs, method, asTenant }) => {
          const creds = asTenant ? fw.tenant : fw.admin;
          await probe(fw, tally, `${command} ${method} ${JSON.stringify(pairs.slice(2)).slice(0, 200)}`, () => fw.cs(creds, pairs, method), csShape);
        }),
        { numRuns: runs, endOnFailure: true },
      );
      assert.deepEqual(tally.failures.slice(before), []);
    });
  }

  it('sent the planned number of requests', (t) => {
    t.diagnostic(`cloudstack fuzz ${JSON.stringify(tally.summary())}`);
    assert.ok(tally.requests >= runs * commands.length, `${tally.requests}`);
  });
});
