// Request signing (reference §2.1, §2.2, §2.4), checked with the test's own signer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  canonicalString,
  CsClient,
  request,
  sign,
  signatureOf,
  wire,
  type Pairs,
  type SignStyle,
} from '../helpers/cs-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

const BAD = 'unable to verify user credentials and/or request signature';
const unauthorized = (name: string) => ({ [name]: { uuidList: [], errorcode: 401, errortext: BAD } });
const later = (ms = 600_000) => new Date(Date.now() + ms).toISOString().slice(0, 19);

describe('request signing', () => {
  let s: TestServer;
  let cs: CsClient;
  before(async () => {
    s = await startServer();
    cs = new CsClient(s.endpoint, s.apiKey, s.secretKey);
  });
  after(() => s.stop());

  const get = (pairs: Pairs) => request(s.endpoint, pairs);
  const listZones = (extra: Record<string, string> = {}): Pairs => [
    ['command', 'listZones'],
    ['response', 'json'],
    ['apiKey', s.apiKey],
    ...Object.entries(extra),
  ];

  it('the signer reproduces the reference worked example', () => {
    const p: Pairs = [
      ['command', 'listVirtualMachines'],
      ['apiKey', 'TESTAPIKEY'],
      ['response', 'json'],
      ['name', 'web 01*'],
      ['signatureVersion', '3'],
      ['expires', '2030-01-01T00:00:00+0000'],
    ];
    assert.equal(
      canonicalString(p),
      'apikey=testapikey&command=listvirtualmachines&expires=2030-01-01t00%3a00%3a00%2b0000&name=web%2001*&response=json&signatureversion=3',
    );
    assert.equal(signatureOf(p, 'TESTSECRET'), '5DUYgVmsCM7dhpF344eVyRyPju4=');
  });

  it('v1 signed GET and POST both work', async () => {
    const g = await cs.call('listZones');
    assert.equal(g.status, 200);
    assert.equal(g.key, 'listzonesresponse');
    assert.ok(g.body.count >= 1);
    const p = await cs.call('listZones', {}, 'POST');
    assert.equal(p.status, 200);
    assert.deepEqual(p.body, g.body);
  });

  it('POST merges query-string parameters with the form body before verifying', async () => {
    const pairs = sign(listZones(), s.secretKey);
    const r = await request(s.endpoint, pairs.slice(2), { method: 'POST', query: pairs.slice(0, 2) });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.listzonesresponse.count >= 1);
  });

  it('v3 accepts expires in every documented format', async () => {
    const t = later();
    const formats = [`${t}Z`, `${t}+0000`, `${t}+00:00`, `${t}.123456Z`, `${t}.123+0000`, `${t}.5+00:00`, `${t}Z+0000`];
    // An offset other than UTC means the same instant elsewhere: 10 minutes ahead in UTC is 10 minutes ahead at +05:30.
    const ist = new Date(Date.now() + 600_000 + 5.5 * 3600_000).toISOString().slice(0, 19);
    formats.push(`${ist}+05:30`, `${ist}+0530`);
    for (const expires of formats) {
      const r = await get(sign(listZones(), s.secretKey, { version: 3, expires }));
      assert.equal(r.status, 200, `expires=${expires}: ${r.text}`);
    }
  });

  it('v3 is recognised whatever the case of signatureVersion', async () => {
    const p: Pairs = [...listZones(), ['signatureversion', '3']];
    const r = await get(sign(p, s.secretKey)); // v3 without expires
    assert.equal(r.status, 401);
    const ok = await get(sign([...p, ['expires', `${later()}Z`]], s.secretKey));
    assert.equal(ok.status, 200, ok.text);
  });

  it('v3 without expires, with a past expires or an unreadable one is a 401 in <cmd>response', async () => {
    const cases: Pairs[] = [
      sign(listZones(), s.secretKey, { version: 3 }),
      sign(listZones(), s.secretKey, { version: 3, expires: new Date(Date.now() - 60_000) }),
      sign(listZones(), s.secretKey, { version: 3, expires: 'tomorrow' }),
      sign(listZones(), s.secretKey, { version: 3, expires: '2030-01-01' }),
      sign(listZones(), s.secretKey, { version: 3, expires: '2030-13-45T99:00:00Z' }),
      sign(listZones(), s.secretKey, { version: 3, expires: '' }),
    ];
    for (const pairs of cases) {
      const r = await get(pairs);
      assert.equal(r.status, 401, wire(pairs));
      assert.deepEqual(r.json, unauthorized('listzonesresponse'), wire(pairs));
      assert.equal(r.headers.get('content-type'), 'application/json; charset=UTF-8');
    }
  });

  it('v1 ignores an expires in the past (no replay protection without version 3)', async () => {
    const r = await get(sign(listZones(), s.secretKey, { expires: '2001-01-01T00:00:00Z' }));
    assert.equal(r.status, 200, r.text);
  });

  it('a tampered value, a dropped parameter, a wrong secret, an unknown key or no signature is a 401', async () => {
    const ok = sign(listZones({ name: 'Sandbox-simulator-basic' }), s.secretKey);
    assert.equal((await get(ok)).status, 200);
    const tampered = ok.map(([k, v]): [string, string] => [k, k === 'name' ? 'Sandbox-simulator-advanced' : v]);
    const cases: Pairs[] = [
      tampered,
      ok.filter(([k]) => k !== 'name'),
      ok.concat([['extra', 'unsigned']]),
      sign(listZones(), 'not-the-secret'),
      sign(
        [
          ['command', 'listZones'],
          ['response', 'json'],
          ['apiKey', 'nobody'],
        ],
        s.secretKey,
      ),
      listZones(),
      [
        ['command', 'listZones'],
        ['response', 'json'],
        ['signature', ok.at(-1)![1]],
      ],
      [
        ['command', 'listZones'],
        ['response', 'json'],
      ],
    ];
    for (const pairs of cases) {
      const r = await get(pairs);
      assert.equal(r.status, 401, wire(pairs));
      assert.deepEqual(r.json, unauthorized('listzonesresponse'), wire(pairs));
    }
  });

  it('a bad signature answers in XML when response is not json', async () => {
    const r = await get(
      sign(
        [
          ['command', 'listZones'],
          ['apiKey', s.apiKey],
        ],
        'wrong',
      ),
    );
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('content-type'), 'text/xml; charset=UTF-8');
    assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?><listzonesresponse cloud-stack-version="[^"]+">/);
    assert.match(r.text, new RegExp(`<errorcode>401</errorcode>.*<errortext>${BAD}</errortext>`));
  });

  const ODD = [
    'web 01*',
    'a~b',
    '[x]',
    'a[0]b',
    'a+b=c&d',
    'ünïcödé ✓',
    '😀',
    "it's (ok)!",
    'a/b:c,d;e?f#g',
    '%41%',
    '$@^`{|}"<>\\',
    'tab\there',
  ];
  const STYLES: SignStyle[] = ['java', 'go', 'python', 'libcloud'];

  it('values with reserved, unreserved and non-ASCII characters verify in every client style', async () => {
    for (const style of STYLES) {
      for (const keyword of ODD) {
        for (const method of ['GET', 'POST'] as const) {
          const r = await cs.raw({ command: 'listZones', response: 'json', keyword }, { style, method });
          assert.equal(r.status, 200, `${style} ${method} ${JSON.stringify(keyword)}: ${r.text}`);
        }
      }
    }
  });

  it('names in odd case and map names verify, sorted as each client sorts them', async () => {
    for (const style of STYLES) {
      // 'Name' sorts before 'apiKey' in Java (uppercase first) but after it in libcloud's lower-cased sort.
      const r = await cs.raw(
        {
          command: 'listZones',
          response: 'json',
          Name: 'Sandbox-simulator-basic',
          'tags[0].key': 'k~[1]',
          'tags[0].value': 'v v',
        },
        { style },
      );
      assert.equal(r.status, 200, `${style}: ${r.text}`);
    }
  });

  it('v3 signed by each client style verifies', async () => {
    for (const style of STYLES) {
      const r = await cs.raw(
        { command: 'listZones', response: 'json', keyword: 'a~[b] c' },
        { style, version: 3, expires: `${later()}Z` },
      );
      assert.equal(r.status, 200, `${style}: ${r.text}`);
    }
  });

  it('a valid signature on a command that does not exist is a 401 errorresponse', async () => {
    const r = await get(
      sign(
        [
          ['command', 'launchRocket'],
          ['response', 'json'],
          ['apiKey', s.apiKey],
        ],
        s.secretKey,
      ),
    );
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, unauthorized('errorresponse'));
  });

  it('a signed request without a command is a 401 errorresponse (a session would get a 400)', async () => {
    const r = await get(
      sign(
        [
          ['response', 'json'],
          ['apiKey', s.apiKey],
        ],
        s.secretKey,
      ),
    );
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, unauthorized('errorresponse'));
  });

  it('the command name is matched case-insensitively and signed as sent', async () => {
    const r = await get(
      sign(
        [
          ['command', 'LISTZONES'],
          ['response', 'json'],
          ['apiKey', s.apiKey],
        ],
        s.secretKey,
      ),
    );
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.listzonesresponse.count >= 1);
  });

  it('GET with a repeated parameter: the last one is the value, and it is the one signed', async () => {
    // The servlet re-decodes the query string into a map, so the last occurrence wins (reference §1).
    const base = listZones();
    const canonical: Pairs = [...base, ['name', 'Sandbox-simulator-advanced']];
    const sig = signatureOf(canonical, s.secretKey);
    const sent: Pairs = [
      ...base,
      ['name', 'Sandbox-simulator-basic'],
      ['name', 'Sandbox-simulator-advanced'],
      ['signature', sig],
    ];
    const r = await get(sent);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.listzonesresponse.zone.map((z: any) => z.name),
      ['Sandbox-simulator-advanced'],
    );
  });

  it('POST form with a repeated parameter keeps the first; the query string wins over the body', async () => {
    const base = listZones();
    const sig = signatureOf([...base, ['name', 'Sandbox-simulator-basic']], s.secretKey);
    const body: Pairs = [
      ...base,
      ['name', 'Sandbox-simulator-basic'],
      ['name', 'Sandbox-simulator-advanced'],
      ['signature', sig],
    ];
    const r = await request(s.endpoint, body, { method: 'POST' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.listzonesresponse.zone.map((z: any) => z.name),
      ['Sandbox-simulator-basic'],
    );

    const sig2 = signatureOf([...base, ['name', 'Sandbox-simulator-advanced']], s.secretKey);
    const r2 = await request(s.endpoint, [...base, ['name', 'Sandbox-simulator-basic'], ['signature', sig2]], {
      method: 'POST',
      query: [['name', 'Sandbox-simulator-advanced']],
    });
    assert.equal(r2.status, 200, r2.text);
    assert.deepEqual(
      r2.json.listzonesresponse.zone.map((z: any) => z.name),
      ['Sandbox-simulator-advanced'],
    );
  });

  it('a repeated parameter cannot smuggle an unsigned value past the signature', async () => {
    // Signed over name=basic; a second, unsigned name must not be what the command sees while the signature passes.
    const signed = sign(listZones({ name: 'Sandbox-simulator-basic' }), s.secretKey);
    const r = await get([...signed, ['name', 'Sandbox-simulator-advanced']]);
    assert.equal(r.status, 401, r.text);
  });
});
