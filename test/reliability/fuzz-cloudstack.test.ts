// tier: fast (in process, under 0.15 s a test: a sweep cheap enough to run between two edits)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { ID_ENTITIES } from '../../src/cloudstack/entities.js';
import { apiSpec, type ApiParamSpec } from '../../src/cloudstack/spec.js';
import { ENTITY_TABLES } from '../../src/store/entity.store.js';
import { FULL, SIZE } from './harness.js';
import { probe, Tally } from './fuzz-check.js';
import { fuzzWorld, type Answer, type FuzzWorld } from './fuzz-world.js';
import { families, recipes, createdId, type Recipe } from './cs-sequences.js';
import { BAD_ESCAPES, deepJson, fuzzString, HOSTILE, LONG_IDS } from './values.js';

type Pairs = [string, string][];

/** Ids and names that exist, so generated requests get past lookups and reach deeper code. */
async function knownValues(fw: FuzzWorld): Promise<{ ids: string[]; names: string[] }> {
  const db = fw.w.store.db as any;
  const ids: string[] = [];
  for (const table of [
    'zones',
    'pods',
    'clusters',
    'hosts',
    'templates',
    'serviceOfferings',
    'diskOfferings',
    'networkOfferings',
    'networks',
    'vms',
    'volumes',
    'securityGroups',
    'securityGroupRules',
    'publicIps',
    'accounts',
    'domains',
    'users',
    'vpcs',
    'vpcOfferings',
    'affinityGroups',
    'instanceGroups',
    'jobs',
    'osTypes',
    'firewallRules',
    'portForwardingRules',
    'loadBalancerRules',
    'networkAcls',
    'routers',
    'nics',
    'sshKeyPairs',
  ]) {
    for (const r of await db.selectFrom(table).select('id').limit(8).execute()) ids.push(String(r.id));
  }
  const names = [
    'admin',
    'fuzz-tenant',
    'ROOT',
    '/',
    'Small Instance',
    'default',
    'UserVm',
    'tcp',
    'udp',
    'icmp',
    'all',
    '0.0.0.0/0',
    '10.1.1.0/24',
    'Allow',
    'Deny',
    'Ingress',
    'host anti-affinity',
    'roundrobin',
    'featured',
    'self',
    'executable',
  ];
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
      return single(
        fc.oneof(
          fc.integer().map(String),
          fc.constantFrom('0', '-1', '65535', '65536', '2147483647', '2147483648', '9223372036854775807', '1.0', ' 1'),
          any,
        ),
      );
    case 'boolean':
      return single(fc.oneof(fc.constantFrom('true', 'false', 'TRUE', 'False', '1', 'yes', ''), any));
    case 'date':
      return single(
        fc.oneof(
          fc.constantFrom('2024-01-01', '2024-01-01 10:00:00', '2024-01-01T10:00:00+0000', '2024-13-45', '0000-00-00'),
          any,
        ),
      );
    case 'list':
      return single(fc.array(fc.oneof(fc.constantFrom(...known.ids), any), { maxLength: 5 }).map((xs) => xs.join(',')));
    case 'map':
      // name[i].field=value: indexes and fields as clients get them right and wrong.
      return fc
        .array(
          fc.tuple(
            fc.constantFrom('0', '1', '2', 'x', '-1', '99999999999', ''),
            fc.constantFrom('key', 'value', 'name', 'protocol', 'cidrlist', '', 'a.b'),
            any,
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((entries): Pairs => entries.map(([i, f, v]) => [`${name}[${i}]${f ? `.${f}` : ''}`, v]));
    default:
      return single(fc.oneof({ weight: 3, arbitrary: any }, { weight: 1, arbitrary: fc.constantFrom(...known.names) }));
  }
}

/** A request for one command: any subset of its parameters, sometimes every required one, plus stray names. */
function requestFor(
  command: string,
  known: { ids: string[]; names: string[] },
): fc.Arbitrary<{ pairs: Pairs; method: 'GET' | 'POST'; asTenant: boolean }> {
  const params = apiSpec(command)!.params;
  const required = params.filter((p) => p.required);
  const stray = fc.tuple(
    fc.constantFrom(
      'apikey',
      'signature',
      'command',
      'response',
      'sessionkey',
      'page',
      'pagesize',
      'listall',
      'projectid',
      'x'.repeat(300),
      '',
      '[',
      ...HOSTILE.slice(0, 8),
    ),
    fuzzString(),
  );
  return fc
    .record({
      chosen: fc.subarray(params),
      withRequired: fc.boolean(),
      seed: fc.integer(),
      stray: fc.array(stray, { maxLength: 2 }),
      method: fc.constantFrom('GET' as const, 'POST' as const),
      asTenant: fc.boolean(),
    })
    .chain(({ chosen, withRequired, stray: extra, method, asTenant }) => {
      const ps = withRequired ? [...new Set([...required, ...chosen])] : chosen;
      return fc.tuple(...ps.map((p) => valueFor(p, known))).map((vals) => ({
        pairs: [
          ['command', command],
          ['response', 'json'],
          ...vals.flat(),
          ...extra.filter(([k]) => !['command', 'response', 'apikey', 'signature'].includes(k)),
        ] as Pairs,
        method,
        asTenant,
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
          await probe(
            fw,
            tally,
            `${command} ${method} ${JSON.stringify(pairs.slice(2)).slice(0, 200)}`,
            () => fw.cs(creds, pairs, method),
            csShape,
          );
        }),
        { numRuns: runs, endOnFailure: true },
      );
      assert.deepEqual(tally.failures.slice(before), []);
    });
  }

  it('malformed percent-escapes in query strings and bodies, signed or not', async () => {
    const before = tally.failures.length;
    const tail = fc
      .tuple(fc.constantFrom('name', 'id', 'keyword', 'zoneid', 'x'), fc.constantFrom(...BAD_ESCAPES), fc.nat(2))
      .map(([k, bad, at]) => [`${k}=${bad}`, `${bad}=1`, `${k}=a${bad}b`][at]!);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commands),
        tail,
        fc.constantFrom('GET' as const, 'POST' as const),
        fc.boolean(),
        fc.boolean(),
        async (command, extra, method, asTenant, signed) => {
          const label = `${command} ${method} ${signed ? 'signed' : 'unsigned'} +${extra}`;
          const creds = asTenant ? fw.tenant : fw.admin;
          const base: Pairs = [
            ['command', command],
            ['response', 'json'],
          ];
          const unsigned = `command=${command}&response=json&${extra}`;
          const send = signed
            ? () => fw.csTail(creds, base, extra, method)
            : () =>
                method === 'GET'
                  ? fw.raw('GET', `/client/api?${unsigned}`, {})
                  : fw.raw('POST', '/client/api', { 'content-type': 'application/x-www-form-urlencoded' }, unsigned);
          await probe(fw, tally, label, send, csShape);
        },
      ),
      { numRuns: Math.max(60, runs * 8), endOnFailure: true },
    );
    assert.deepEqual(tally.failures.slice(before), []);
  });

  it('ids of 70,000 characters in every command that takes an id', async () => {
    const before = tally.failures.length;
    const withId = commands.filter((c) => apiSpec(c)!.params.some((p) => p.name === 'id'));
    for (const [i, command] of withId.entries()) {
      const id = LONG_IDS[i % LONG_IDS.length]!;
      // ParamProcessWorker drops a non-uuid value of a parameter added since 3.x (its spec has `since`): a list
      // then lists as if no id were given, as CloudStack does; an older parameter must be refused.
      const dropped = !!apiSpec(command)!.params.find((p) => p.name === 'id')!.since;
      const ok = (a: Answer) => dropped && command.startsWith('list') && a.status === 200;
      await probe(
        fw,
        tally,
        `${command} id=<${id.length} chars ${id.slice(0, 8)}…>`,
        () =>
          fw.cs(
            fw.admin,
            [
              ['command', command],
              ['response', 'json'],
              ['id', id],
            ],
            'POST',
          ),
        (a) => (ok(a) ? undefined : csShape(a)),
        ok,
      );
    }
    assert.deepEqual(tally.failures.slice(before), []);
  });

  it('deeply nested map parameters and JSON bodies', async () => {
    const before = tally.failures.length;
    for (const depth of [100, 5_000]) {
      const key = `details${'[0]'.repeat(depth)}.key`;
      await probe(
        fw,
        tally,
        `createTags ${depth}-deep map key`,
        () =>
          fw.cs(
            fw.admin,
            [
              ['command', 'createTags'],
              ['response', 'json'],
              ['resourcetype', 'UserVm'],
              ['resourceids', 'x'],
              [key, 'v'],
            ],
            'POST',
          ),
        csShape,
        () => false,
      );
      for (const body of deepJson(depth)) {
        const label = `POST /client/api application/json ${depth} deep ${body.slice(0, 12)}`;
        await probe(
          fw,
          tally,
          label,
          () =>
            fw.raw('POST', '/client/api?command=listZones&response=json', { 'content-type': 'application/json' }, body),
          (a) => (a.status === 405 || a.status < 500 ? undefined : 'fault'),
          () => false,
        );
      }
    }
    assert.deepEqual(tally.failures.slice(before), []);
  });

  it('every update* with only an id that exists', async () => {
    const before = tally.failures.length;
    const db = fw.w.store.db as any;
    for (const command of commands.filter(
      (c) => c.startsWith('update') && apiSpec(c)!.params.some((p) => p.name === 'id'),
    )) {
      const kind = ID_ENTITIES[command];
      const rows: { id: string }[] = kind
        ? await db.selectFrom(ENTITY_TABLES[kind]).select('id').limit(3).execute()
        : [];
      for (const { id } of rows)
        await probe(
          fw,
          tally,
          `${command} id=${id} only`,
          () =>
            fw.cs(
              fw.admin,
              [
                ['command', command],
                ['response', 'json'],
                ['id', id],
              ],
              'POST',
            ),
          csShape,
        );
    }
    assert.deepEqual(tally.failures.slice(before), []);
  });

  describe('stateful sequences: create, update with nothing, list, delete, delete again, update the deleted one', () => {
    let made: Record<string, Recipe>;
    // A cloud of their own: the random requests above may have disabled, renamed or removed the admin
    // (only rotated keys are put back), which would refuse every step here with 401.
    let fw: FuzzWorld;
    before(async () => {
      fw = await fuzzWorld();
      made = await recipes(fw);
    });
    after(() => fw.close());
    it('every family of the command table has a recipe or is named as left out', (t) => {
      const missing = families()
        .filter((f) => !made[f.entity])
        .map((f) => f.entity);
      t.diagnostic(`families without a recipe (infrastructure that needs hardware-shaped input): ${missing.join(' ')}`);
      assert.ok(families().length - missing.length >= 14, missing.join(' '));
    });
    for (const f of families()) {
      it(`${f.entity}: ${f.create} → ${f.update} → ${f.list} → ${f.remove} ×2 → ${f.update}`, async (t) => {
        const recipe = made[f.entity];
        if (!recipe) return t.skip(`no recipe for ${f.entity}`);
        const before = tally.failures.length;
        const tailSteps = ['update', 'list', 'remove', 'remove', 'update'] as const;
        const canonical = [...tailSteps];
        await fc.assert(
          fc.asyncProperty(fc.shuffledSubarray([...tailSteps], { minLength: tailSteps.length }), async (order) => {
            const c = await probe(
              fw,
              tally,
              `${f.create}`,
              async () =>
                fw.cs(fw.admin, [['command', f.create], ['response', 'json'], ...(await recipe.make())], 'POST'),
              csShape,
            );
            const id = c.status === 200 ? createdId(c.body) : undefined;
            if (!id) return void tally.fail(`${f.create} made nothing: ${c.status} ${c.body.slice(0, 300)}`);
            let removed = false;
            for (const step of order) {
              const params: Pairs =
                step === 'list'
                  ? [
                      ['id', id],
                      ['listall', 'true'],
                    ]
                  : step === 'remove'
                    ? [['id', id], ...(recipe.removeExtra ?? [])]
                    : [['id', id], ...(recipe.updateExtra ?? [])];
              const command = f[step];
              const a = await probe(
                fw,
                tally,
                `${f.entity} ${order.join('→')}: ${command}`,
                () => fw.cs(fw.admin, [['command', command], ['response', 'json'], ...params], 'POST'),
                csShape,
              );
              // On a live entity an update with nothing to set answers it unchanged.
              if (step === 'update' && !removed && a.status !== 200)
                tally.fail(`${command} with only the id of a live ${f.entity} → ${a.status} ${a.body.slice(0, 300)}`);
              if (step === 'remove') removed = true;
            }
          }),
          { numRuns: 3, examples: [[canonical]], endOnFailure: true },
        );
        assert.deepEqual(tally.failures.slice(before), []);
      });
    }
  });

  it('sent the planned number of requests', (t) => {
    t.diagnostic(`cloudstack fuzz ${JSON.stringify(tally.summary())}`);
    assert.ok(tally.requests >= runs * commands.length, `${tally.requests}`);
  });
});
