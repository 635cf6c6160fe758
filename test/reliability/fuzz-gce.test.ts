// tier: fast (in process, under 0.15 s a test: a sweep cheap enough to run between two edits)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { ROUTES } from '../../src/gce/routes.js';
import { PARTS, RESOURCES } from '../../src/gce/schemas.js';
import { FULL, SIZE } from './harness.js';
import { probe, Tally } from './fuzz-check.js';
import { ADMIN_TOKEN, enc, fuzzWorld, TENANT_TOKEN, type Answer, type FuzzWorld } from './fuzz-world.js';
import { anyJson, BAD_ESCAPES, deepFilters, deepJson, fuzzString, LONG_IDS } from './values.js';

const ZONES = ['sandbox-simulator-basic', 'sandbox-simulator-advanced'];

/** A JSON value for a field of the schema notation (string, integer, int64, boolean, Name, [T], {T}); wrong types too. */
function fieldArb(type: string, depth: number, known: string[]): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(anyJson, fuzzString(known));
  if (depth > 3) return wrong;
  const right = ((): fc.Arbitrary<unknown> => {
    if (type.startsWith('[')) return fc.array(fieldArb(type.slice(1, -1), depth + 1, known), { maxLength: 3 });
    if (type.startsWith('{'))
      return fc.dictionary(fuzzString(known), fieldArb(type.slice(1, -1), depth + 1, known), { maxKeys: 3 });
    if (type === 'string') return fuzzString(known);
    if (type === 'integer' || type === 'number')
      return fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 1));
    if (type === 'int64') return fc.oneof(fc.bigInt().map(String), fuzzString(known));
    if (type === 'boolean') return fc.boolean();
    return bodyArb(type, depth + 1, known);
  })();
  return fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

/** An object of a schema with any subset of its fields. */
function bodyArb(schema: string, depth: number, known: string[]): fc.Arbitrary<unknown> {
  const props = RESOURCES[schema] ?? PARTS[schema] ?? {};
  return fc.record(Object.fromEntries(Object.entries(props).map(([k, t]) => [k, fieldArb(t, depth, known)])), {
    requiredKeys: [],
  });
}

/** A GCE error answer: {error: {code = status, message, errors: [{reason, domain}]}}. */
function gceShape(a: Answer): string | undefined {
  let e: any;
  try {
    e = JSON.parse(a.body).error;
  } catch {
    return 'not JSON';
  }
  if (e?.code !== a.status || typeof e.message !== 'string' || !e.errors?.[0]?.reason)
    return 'not a Compute Engine error';
  return undefined;
}

/**
 * Property-based fuzzing of every Compute Engine method in the front's route table: path
 * segments, query parameters and bodies (from the schemas the discovery document is built from)
 * with hostile, wrong-type and oversized values, in the caller's project, another one and none.
 */
describe(`fuzz: every GCE method${FULL ? ' (full)' : ''}`, { timeout: 3_600_000 }, () => {
  let fw: FuzzWorld;
  const known = [
    'admin',
    'fuzz-tenant',
    ...ZONES,
    'small-instance',
    'fuzz-vm',
    'default',
    'fuzz-fw',
    'centos-cloud',
    'centos-5',
    'debian-cloud',
    'tcp',
    '22',
    '0.0.0.0/0',
  ];
  const tally = new Tally();
  const runs = Math.ceil(SIZE.fuzzRuns / 4 / ROUTES.length);

  before(async () => {
    fw = await fuzzWorld();
    const insert = await fw.gce(
      ADMIN_TOKEN,
      'POST',
      `/compute/v1/projects/admin/zones/${ZONES[0]}/instances`,
      JSON.stringify({
        name: 'fuzz-vm',
        machineType: `zones/${ZONES[0]}/machineTypes/small-instance`,
        disks: [
          { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
        ],
      }),
    );
    assert.equal(insert.status, 200, insert.body);
    known.push(JSON.parse(insert.body).name);
    await fw.drain();
    const fwRule = await fw.gce(
      ADMIN_TOKEN,
      'POST',
      '/compute/v1/projects/admin/global/firewalls',
      JSON.stringify({ name: 'fuzz-fw', allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] }),
    );
    known.push(JSON.parse(fwRule.body).name);
    await fw.drain();
  });
  after(() => fw.close());

  for (const route of ROUTES) {
    it(route.id, async () => {
      const segments = route.path.split('/');
      const pathArb = fc
        .tuple(
          ...segments.map((seg) => {
            const m = /^\{(\w+)\}$/.exec(seg);
            if (!m) return fc.constant(seg);
            const likely =
              m[1] === 'project'
                ? ['admin', 'fuzz-tenant']
                : m[1] === 'zone'
                  ? ZONES
                  : m[1] === 'region'
                    ? ['sandbox-simulator']
                    : known;
            return fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...likely) },
              { weight: 2, arbitrary: fuzzString(known).map(enc) },
              { weight: 1, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '..%2f..%2f', '%00', '%2F', '') },
            );
          }),
        )
        .map((parts) => `/compute/v1/${parts.join('/')}`);
      const queryArb = fc
        .subarray([
          ...(route.query ?? []),
          'alt',
          'fields',
          'prettyPrint',
          'requestId',
          'filter',
          'maxResults',
          'pageToken',
          'orderBy',
          'access_token',
          'key',
        ])
        .chain((names) => fc.tuple(...names.map((n) => fuzzString(known).map((v) => `${enc(n)}=${enc(v)}`))))
        .map((kv) => (kv.length ? `?${kv.join('&')}` : ''));
      const bodyArb2 = route.request
        ? fc.oneof(
            { weight: 4, arbitrary: bodyArb(route.request, 0, known).map((b) => JSON.stringify(b)) },
            {
              weight: 1,
              arbitrary: fc.oneof(
                anyJson.map((v) => JSON.stringify(v)),
                fuzzString(known),
              ),
            },
          )
        : fc.option(fc.constantFrom('{}', 'null', '[]', '{"name":1}'), { freq: 5 });
      const before = tally.failures.length;
      await fc.assert(
        fc.asyncProperty(
          pathArb,
          queryArb,
          bodyArb2,
          fc.constantFrom(ADMIN_TOKEN, TENANT_TOKEN),
          async (path, query, body, token) => {
            await probe(
              fw,
              tally,
              `${route.id} ${path}${query}`.slice(0, 300),
              () => fw.gce(token, route.method, path + query, body ?? undefined),
              gceShape,
            );
          },
        ),
        { numRuns: runs, endOnFailure: true },
      );
      assert.deepEqual(tally.failures.slice(before), []);
    });
  }

  it('the OAuth 2.0 endpoints', async () => {
    const field = fc.oneof(
      fc.constantFrom(
        'client_credentials',
        'authorization_code',
        'refresh_token',
        'password',
        fw.admin.apiKey,
        fw.admin.secretKey,
      ),
      fuzzString(known),
    );
    const form = fc.dictionary(
      fc.constantFrom(
        'grant_type',
        'client_id',
        'client_secret',
        'code',
        'refresh_token',
        'scope',
        'response_type',
        'redirect_uri',
        'state',
      ),
      field,
      { maxKeys: 6 },
    );
    const request = fc.record({
      path: fc.constantFrom('/token', '/oauth2/token', '/oauth2/v4/token', '/oauth2/auth'),
      fields: form,
      json: fc.oneof(fc.constant(undefined), anyJson),
      asJson: fc.boolean(),
      basic: fc.option(
        fc.oneof(
          fuzzString(known),
          fc.tuple(fuzzString(known), fuzzString(known)).map(([a, b]) => Buffer.from(`${a}:${b}`).toString('base64')),
        ),
      ),
      repeat: fc.boolean(),
    });
    const before = tally.failures.length;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {};
        if (r.basic !== null) headers['authorization'] = `Basic ${r.basic}`;
        const encoded =
          Object.entries(r.fields)
            .map(([k, v]) => `${k}=${enc(v)}`)
            .join('&') + (r.repeat ? '&client_id=x&code=y' : '');
        const send = async () => {
          if (r.path === '/oauth2/auth') return fw.app.inject({ method: 'GET', url: `${r.path}?${encoded}`, headers });
          headers['content-type'] = r.asJson ? 'application/json' : 'application/x-www-form-urlencoded';
          const payload = r.asJson ? JSON.stringify(r.json !== undefined ? r.json : r.fields) : encoded;
          return fw.app.inject({ method: 'POST', url: r.path, headers, payload });
        };
        await probe(
          fw,
          tally,
          `${r.path} ${encoded.slice(0, 200)}`,
          async () => {
            const a = await send();
            return { status: a.statusCode, body: a.body };
          },
          (a) => (/"error":"[a-z_]+"/.test(a.body) ? undefined : 'not an OAuth error'),
          (a) => a.status < 400,
        );
      }),
      { numRuns: runs * 4, endOnFailure: true },
    );
    assert.deepEqual(tally.failures.slice(before), []);
  });

  const P = '/compute/v1/projects/admin';
  const Z = `${P}/zones/${ZONES[0]}`;

  it('malformed percent-escapes in paths, query strings and OAuth form bodies', async () => {
    const before = tally.failures.length;
    const target = fc.tuple(fc.constantFrom(...BAD_ESCAPES), fc.nat(4)).map(
      ([bad, at]) =>
        [
          { method: 'GET', url: `${P}/zones/${bad}/instances` },
          { method: 'GET', url: `${Z}/instances?filter=${bad}` },
          { method: 'GET', url: `${Z}/instances?${bad}=1&maxResults=1` },
          { method: 'DELETE', url: `${Z}/instances/a${bad}b` },
          { method: 'POST', url: '/token', form: `grant_type=${bad}&client_id=x` },
        ][at]!,
    );
    await fc.assert(
      fc.asyncProperty(target, fc.constantFrom(ADMIN_TOKEN, TENANT_TOKEN), async (t, token) => {
        const send =
          t.form !== undefined
            ? () => fw.raw('POST', t.url, { 'content-type': 'application/x-www-form-urlencoded' }, t.form)
            : () => fw.gce(token, t.method, t.url);
        await probe(
          fw,
          tally,
          `${t.method} ${t.url} ${t.form ?? ''}`,
          send,
          t.form !== undefined
            ? (a) => (/"error":"[a-z_]+"/.test(a.body) ? undefined : 'not an OAuth error')
            : gceShape,
        );
      }),
      { numRuns: Math.max(60, runs * 8), endOnFailure: true },
    );
    assert.deepEqual(tally.failures.slice(before), []);
  });

  it('filters 3,000 and 30,000 parentheses deep, JSON bodies 5,000 deep, names of 70,000 characters', async () => {
    const before = tally.failures.length;
    for (const route of ROUTES.filter((r) => /\.(list|aggregatedList)$/.test(r.id)).slice(0, 6))
      for (const filter of [3_000, 30_000].flatMap(deepFilters)) {
        const url = `/compute/v1/${route.path.replace('{project}', 'admin').replace('{zone}', ZONES[0]!).replace('{region}', 'sandbox-simulator')}?filter=${enc(filter)}`;
        await probe(
          fw,
          tally,
          `${route.id} filter ${filter.slice(0, 20)}… (${filter.length} chars)`,
          () => fw.gce(ADMIN_TOKEN, 'GET', url),
          gceShape,
        );
      }
    for (const route of ROUTES.filter((r) => r.method === 'POST' && r.request))
      for (const body of deepJson(5_000)) {
        const url = `/compute/v1/${route.path
          .replace('{project}', 'admin')
          .replace('{zone}', ZONES[0]!)
          .replace('{region}', 'sandbox-simulator')
          .replace(/\{\w+\}/g, 'fuzz-vm')}`;
        await probe(
          fw,
          tally,
          `${route.id} body ${body.slice(0, 12)}… 5000 deep`,
          () => fw.gce(ADMIN_TOKEN, 'POST', url, body),
          gceShape,
        );
      }
    for (const [i, route] of ROUTES.filter((r) => /\}$/.test(r.path)).entries()) {
      const long = LONG_IDS[i % LONG_IDS.length]!;
      const url = `/compute/v1/${route.path
        .replace('{project}', 'admin')
        .replace('{zone}', ZONES[0]!)
        .replace('{region}', 'sandbox-simulator')
        .replace(/\{\w+\}$/, long)}`;
      await probe(
        fw,
        tally,
        `${route.id} name of ${long.length} chars`,
        () => fw.gce(ADMIN_TOKEN, route.method, url, route.request ? '{}' : undefined),
        gceShape,
      );
    }
    assert.deepEqual(tally.failures.slice(before), []);
  });

  /** Make one, change it with nothing, get it, delete it twice, change the deleted one. */
  const SEQUENCES: {
    entity: string;
    insert: (name: string) => [string, unknown];
    steps: [string, (name: string) => string, unknown?][];
  }[] = [
    {
      entity: 'instance',
      insert: (name) => [
        `${Z}/instances`,
        {
          name,
          machineType: `zones/${ZONES[0]}/machineTypes/small-instance`,
          disks: [
            { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
          ],
        },
      ],
      steps: [
        ['POST', (n) => `${Z}/instances/${n}/setLabels`, {}],
        ['POST', (n) => `${Z}/instances/${n}/setMetadata`, {}],
        ['GET', (n) => `${Z}/instances/${n}`],
        ['DELETE', (n) => `${Z}/instances/${n}`],
        ['DELETE', (n) => `${Z}/instances/${n}`],
        ['POST', (n) => `${Z}/instances/${n}/setTags`, {}],
      ],
    },
    {
      entity: 'disk',
      insert: (name) => [`${Z}/disks`, { name, sizeGb: '1' }],
      steps: [
        ['POST', (n) => `${Z}/disks/${n}/setLabels`, {}],
        ['GET', (n) => `${Z}/disks/${n}`],
        ['DELETE', (n) => `${Z}/disks/${n}`],
        ['DELETE', (n) => `${Z}/disks/${n}`],
        ['POST', (n) => `${Z}/disks/${n}/resize`, {}],
      ],
    },
    {
      entity: 'firewall',
      insert: (name) => [`${P}/global/firewalls`, { name, allowed: [{ IPProtocol: 'tcp', ports: ['80'] }] }],
      steps: [
        ['GET', (n) => `${P}/global/firewalls/${n}`],
        ['DELETE', (n) => `${P}/global/firewalls/${n}`],
        ['DELETE', (n) => `${P}/global/firewalls/${n}`],
        ['GET', (n) => `${P}/global/firewalls/${n}`],
      ],
    },
  ];
  for (const seq of SEQUENCES) {
    it(`stateful sequence: ${seq.entity} (insert, ${seq.steps.map(([m, u]) => `${m} ${u('x').split('/x').pop() || '…'}`).join(', ')}), in order and shuffled`, async () => {
      const before = tally.failures.length;
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.shuffledSubarray(seq.steps, { minLength: seq.steps.length }), async (steps) => {
          const name = `seq-${seq.entity}-${++n}`;
          const [url, body] = seq.insert(name);
          const c = await probe(
            fw,
            tally,
            `${seq.entity} insert`,
            () => fw.gce(ADMIN_TOKEN, 'POST', url, JSON.stringify(body)),
            gceShape,
          );
          if (c.status !== 200)
            return void tally.fail(`${seq.entity} was not made: ${c.status} ${c.body.slice(0, 300)}`);
          for (const [method, at, b] of steps)
            await probe(
              fw,
              tally,
              `${seq.entity} ${steps.map(([m]) => m).join('→')}: ${method} ${at(name)}`,
              () => fw.gce(ADMIN_TOKEN, method, at(name), b === undefined ? undefined : JSON.stringify(b)),
              gceShape,
            );
        }),
        { numRuns: 3, examples: [[seq.steps]], endOnFailure: true },
      );
      assert.deepEqual(tally.failures.slice(before), []);
    });
  }

  it('sent the planned number of requests', (t) => {
    t.diagnostic(`gce fuzz ${JSON.stringify(tally.summary())}`);
    assert.ok(tally.requests >= runs * ROUTES.length, `${tally.requests}`);
  });
});
