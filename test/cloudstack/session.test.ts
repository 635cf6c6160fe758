// Username/password sessions (reference §2.3, §2.4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { request, setCookies, type Pairs, type Reply } from '../helpers/cs-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

const NO_SESSION = 'unable to verify user credentials';
const BAD = 'unable to verify user credentials and/or request signature';

interface Session {
  key: string;
  jsession: string;
  body: any;
  reply: Reply;
}

describe('session login', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.stop());

  const login = (fields: Record<string, string>, extra: { response?: string } = { response: 'json' }) =>
    request(s.endpoint, { command: 'login', ...extra, ...fields }, { method: 'POST' });
  async function session(fields: Record<string, string> = {}): Promise<Session> {
    const reply = await login({ username: 'admin', password: 'password', ...fields });
    assert.equal(reply.status, 200, reply.text);
    const c = setCookies(reply.headers);
    return {
      key: reply.json.loginresponse.sessionkey,
      jsession: c['JSESSIONID']!,
      body: reply.json.loginresponse,
      reply,
    };
  }
  /** The cookie jar cmk keeps after login. */
  const jar = (sess: Session) => ({ JSESSIONID: sess.jsession, sessionkey: sess.key });
  /** A session call: cmk sends its cookie jar plus sessionkey as a parameter (given in `params`). */
  const call = (cookies: Record<string, string>, params: Pairs) =>
    request(s.endpoint, [['response', 'json'], ...params], { cookies });

  it('login over GET is a 405 with a plain-text reason', async () => {
    const r = await request(s.endpoint, {
      command: 'login',
      username: 'admin',
      password: 'password',
      response: 'json',
    });
    assert.equal(r.status, 405);
    assert.equal(r.text, 'Please use HTTP POST to authenticate using this API');
  });

  it('POST login as admin with domain "/", "ROOT" or none answers loginresponse with string-typed fields', async () => {
    for (const domain of ['/', 'ROOT', '/ROOT/', undefined]) {
      const { body, reply } = await session(domain === undefined ? {} : { domain });
      assert.equal(reply.headers.get('content-type'), 'application/json; charset=UTF-8');
      assert.deepEqual(Object.keys(reply.json), ['loginresponse']);
      assert.equal(body.username, 'admin');
      assert.equal(body.account, 'admin');
      assert.equal(body.type, '1');
      assert.equal(body.registered, 'false');
      assert.equal(body.is2faenabled, 'false');
      assert.equal(body.is2faverified, 'true');
      assert.equal(typeof body.timezoneoffset, 'string');
      assert.equal(body.timeout, 1800);
      for (const k of ['userid', 'domainid', 'firstname', 'lastname', 'timezone'])
        assert.equal(typeof body[k], 'string', k);
      assert.match(
        body.sessionkey,
        /^[A-Za-z0-9_-]{27}$/,
        'sessionkey: 20 random bytes, URL-safe base64 without padding',
      );
    }
  });

  it('login sets JSESSIONID (with a node suffix) and sessionkey cookies', async () => {
    const { key, reply } = await session();
    const raw = reply.headers.getSetCookie();
    const j = raw.find((c) => c.startsWith('JSESSIONID='));
    assert.ok(j, raw.join(' | '));
    assert.match(j, /^JSESSIONID=[^.;]+\.[^;]+;/);
    assert.match(j, /Path=\/client/);
    assert.match(j, /HttpOnly/);
    const k = raw.find((c) => c.startsWith('sessionkey='));
    assert.ok(k);
    assert.ok(k.startsWith(`sessionkey=${key};`));
    assert.match(k, /HttpOnly/);
  });

  it('login by domainId (uuid, or 1 for ROOT) works too, and XML is the default answer', async () => {
    const { body } = await session();
    for (const domainId of [body.domainid, '1'])
      assert.equal((await session({ domainId })).body.account, 'admin', domainId);
    const bad = await login({ username: 'admin', password: 'password', domainId: 'not-a-domain' });
    assert.equal(bad.status, 401);
    assert.equal(bad.json.loginresponse.errortext, 'Invalid domain id entered, please enter a valid one');
    const xml = await login({ username: 'admin', password: 'password' }, {});
    assert.equal(xml.status, 200);
    assert.equal(xml.headers.get('content-type'), 'text/xml; charset=UTF-8');
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml.text);
    assert.ok(parsed.loginresponse['@_cloud-stack-version']);
    assert.match(String(parsed.loginresponse.sessionkey), /^[A-Za-z0-9_-]{27}$/);
  });

  it('a session call works with the cookies and the sessionkey parameter', async () => {
    const sess = await session();
    const r = await call(jar(sess), [
      ['command', 'listZones'],
      ['sessionkey', sess.key],
    ]);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.listzonesresponse.count >= 1);
    const post = await request(
      s.endpoint,
      { command: 'listZones', response: 'json', sessionkey: sess.key },
      { method: 'POST', cookies: { JSESSIONID: sess.jsession, sessionkey: sess.key } },
    );
    assert.equal(post.status, 200, post.text);
  });

  it('polystack accepts the key in just one place (CookieOrParameter), as long as every key given matches', async () => {
    const sess = await session();
    const paramOnly = await call({ JSESSIONID: sess.jsession }, [
      ['command', 'listZones'],
      ['sessionkey', sess.key],
    ]);
    assert.equal(paramOnly.status, 200, paramOnly.text);
    const cookieOnly = await call(jar(sess), [['command', 'listZones']]);
    assert.equal(cookieOnly.status, 200, cookieOnly.text);
  });

  it('a wrong, missing or mismatched session key is a 401 "unable to verify user credentials"', async () => {
    const sess = await session();
    const other = await session();
    const cases: [Pairs, Record<string, string>][] = [
      [[['sessionkey', 'nope']], { JSESSIONID: sess.jsession, sessionkey: sess.key }],
      [[['sessionkey', sess.key]], { JSESSIONID: sess.jsession, sessionkey: 'nope' }],
      [[['sessionkey', other.key]], { JSESSIONID: sess.jsession }],
      [[], { JSESSIONID: sess.jsession }],
      // The cookie must be "<session id>." followed by the node name.
      [[['sessionkey', sess.key]], { JSESSIONID: sess.jsession.split('.')[0]!, sessionkey: sess.key }],
    ];
    for (const [params, cookies] of cases) {
      const r = await call(cookies, [['command', 'listZones'], ...params]);
      assert.equal(r.status, 401, `${JSON.stringify(params)} ${JSON.stringify(cookies)}`);
      assert.deepEqual(r.json, { listzonesresponse: { uuidList: [], errorcode: 401, errortext: NO_SESSION } });
    }
  });

  it('a session id the server does not know is treated as no session at all', async () => {
    const r = await call({ JSESSIONID: 'DEADBEEF.node0', sessionkey: 'whatever' }, [
      ['command', 'listZones'],
      ['sessionkey', 'whatever'],
    ]);
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { listzonesresponse: { uuidList: [], errorcode: 401, errortext: BAD } });
  });

  it('a session without a command is a 400 "no command specified"', async () => {
    const sess = await session();
    const r = await call(jar(sess), [['sessionkey', sess.key]]);
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { errorresponse: { uuidList: [], errorcode: 400, errortext: 'no command specified' } });
  });

  it('a session calling an unknown command gets 432', async () => {
    const sess = await session();
    const r = await call(jar(sess), [
      ['command', 'launchRocket'],
      ['sessionkey', sess.key],
    ]);
    assert.equal(r.status, 432);
    assert.equal(
      r.json.errorresponse.errortext,
      "The given command 'launchRocket' either does not exist, is not available for user.",
    );
  });

  it('a wrong password is a 531 in loginresponse, with the reference text', async () => {
    for (const [fields, where] of [
      [{ password: 'wrong' }, '1'],
      [{ password: 'wrong', domain: '/' }, '1'],
      [{ password: '' }, '1'],
    ] as [Record<string, string>, string][]) {
      const r = await login({ username: 'admin', ...fields });
      assert.equal(r.status, 531, JSON.stringify(fields));
      assert.deepEqual(r.json, {
        loginresponse: {
          uuidList: [],
          errorcode: 531,
          errortext: `Failed to authenticate user admin in domain ${where}; please provide valid credentials`,
        },
      });
      assert.equal(setCookies(r.headers)['sessionkey'], undefined, 'no session on failure');
    }
    const nobody = await login({ username: 'nobody', password: 'password' });
    assert.equal(nobody.status, 531);
    assert.equal(
      nobody.json.loginresponse.errortext,
      'Failed to authenticate user nobody in domain 1; please provide valid credentials',
    );
    const noDomain = await login({ username: 'admin', password: 'password', domain: '/no/such/' });
    assert.equal(noDomain.status, 531);
    assert.equal(noDomain.json.loginresponse.errortext, 'Unable to find the domain from the path /no/such/');
  });

  it('logout answers success, expires the cookies, and the session stops working', async () => {
    const sess = await session();
    const out = await call(jar(sess), [
      ['command', 'logout'],
      ['sessionkey', sess.key],
    ]);
    assert.equal(out.status, 200);
    assert.deepEqual(out.json, { logoutresponse: { description: 'success' } });
    const expired = out.headers.getSetCookie();
    assert.ok(
      expired.some((c) => /^JSESSIONID=;.*Max-Age=0/.test(c)),
      expired.join(' | '),
    );
    assert.ok(
      expired.some((c) => /^sessionkey=;.*Max-Age=0/.test(c)),
      expired.join(' | '),
    );
    const r = await call(jar(sess), [
      ['command', 'listZones'],
      ['sessionkey', sess.key],
    ]);
    assert.equal(r.status, 401);
    assert.equal(r.json.listzonesresponse.errorcode, 401);
  });

  it('a login made inside an existing session ends that session', async () => {
    const first = await session();
    const again = await request(
      s.endpoint,
      { command: 'login', username: 'admin', password: 'password', response: 'json' },
      {
        method: 'POST',
        cookies: { JSESSIONID: first.jsession, sessionkey: first.key },
      },
    );
    assert.equal(again.status, 200);
    const r = await call(jar(first), [
      ['command', 'listZones'],
      ['sessionkey', first.key],
    ]);
    assert.equal(r.status, 401);
  });

  it('logging in again keeps the earlier session of another login usable (sessions are per login)', async () => {
    const a = await session();
    const b = await session();
    assert.notEqual(a.key, b.key);
    for (const sess of [a, b])
      assert.equal(
        (
          await call(jar(sess), [
            ['command', 'listZones'],
            ['sessionkey', sess.key],
          ])
        ).status,
        200,
      );
  });

  it('a malformed cookie header is not a 500', async () => {
    const r = await request(
      s.endpoint,
      { command: 'listZones', response: 'json' },
      { cookies: { JSESSIONID: '%E0%A4%A', sessionkey: '%' } },
    );
    assert.equal(r.status, 401, r.text);
  });
});
