import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

describe('session login (username and password)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.stop());

  const login = (fields: Record<string, string>) =>
    fetch(s.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ command: 'login', response: 'json', ...fields }) });
  const withSession = (cookie: string, query: string) => fetch(`${s.endpoint}?${query}`, { headers: { cookie } });

  it('GET is refused with 405 and a plain-text reason', async () => {
    const r = await fetch(`${s.endpoint}?command=login&username=admin&password=password&response=json`);
    assert.equal(r.status, 405);
    assert.equal(await r.text(), 'Please use HTTP POST to authenticate using this API');
  });

  it('POST logs in, sets JSESSIONID and sessionkey cookies, and the session works with the key', async () => {
    for (const domain of [undefined, '/', 'ROOT']) {
      const r = await login({ username: 'admin', password: 'password', ...(domain ? { domain } : {}) });
      assert.equal(r.status, 200, `domain=${domain}`);
      const body = (await r.json()).loginresponse;
      for (const k of ['type', 'registered', 'is2faenabled', 'timezoneoffset']) assert.equal(typeof body[k], 'string', k);
      assert.equal(body.type, '1');
      assert.equal(body.account, 'admin');
      assert.equal(body.timeout, 1800);
      assert.match(body.sessionkey, /^[A-Za-z0-9_-]{27}$/);
      const cookies = r.headers.getSetCookie();
      assert.ok(cookies.some((c) => /^JSESSIONID=[^;]+;.*Path=\/client/.test(c)));
      assert.ok(cookies.some((c) => c.startsWith(`sessionkey=${body.sessionkey}`)));
    }
  });

  it('a call needs both the JSESSIONID cookie and a matching session key', async () => {
    const r = await login({ username: 'admin', password: 'password' });
    const key = (await r.json()).loginresponse.sessionkey as string;
    const jsession = r.headers.getSetCookie().find((c) => c.startsWith('JSESSIONID='))!.split(';')[0]!;
    const ok = await withSession(jsession, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`);
    assert.equal(ok.status, 200);
    const wrong = await withSession(jsession, 'command=listZones&response=json&sessionkey=nope');
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.json()).listzonesresponse.errortext, 'unable to verify user credentials');
    const noCommand = await withSession(jsession, `response=json&sessionkey=${encodeURIComponent(key)}`);
    assert.equal(noCommand.status, 400);
    assert.equal((await noCommand.json()).errorresponse.errortext, 'no command specified');
    const unknown = await withSession(jsession, `command=launchRocket&response=json&sessionkey=${encodeURIComponent(key)}`);
    assert.equal(unknown.status, 432);
    assert.equal((await unknown.json()).errorresponse.errortext, "The given command 'launchRocket' either does not exist, is not available for user.");
  });

  it('a wrong password is a 531 in loginresponse', async () => {
    const r = await login({ username: 'admin', password: 'wrong' });
    assert.equal(r.status, 531);
    const body = (await r.json()).loginresponse;
    assert.deepEqual(body.uuidList, []);
    assert.equal(body.errorcode, 531);
    assert.match(body.errortext, /^Failed to authenticate user admin in domain .*; please provide valid credentials$/);
  });

  it('logout ends the session', async () => {
    const r = await login({ username: 'admin', password: 'password' });
    const key = (await r.json()).loginresponse.sessionkey as string;
    const jsession = r.headers.getSetCookie().find((c) => c.startsWith('JSESSIONID='))!.split(';')[0]!;
    const out = await withSession(jsession, `command=logout&response=json&sessionkey=${encodeURIComponent(key)}`);
    assert.equal(out.status, 200);
    assert.deepEqual(await out.json(), { logoutresponse: { description: 'success' } });
    const after = await withSession(jsession, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`);
    assert.equal(after.status, 401);
  });
});
