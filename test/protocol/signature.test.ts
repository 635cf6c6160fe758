import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { expiresIn, signature, signed } from './signer.js';

const BAD = 'unable to verify user credentials and/or request signature';

describe('request signing (signature versions 1 and 3)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.stop());

  const get = async (query: string) => {
    const r = await fetch(`${s.endpoint}?${query}`);
    return { status: r.status, body: await r.json() };
  };
  const sign = (params: Record<string, string>, v3?: { expires: string }) => signed({ response: 'json', ...params }, s.apiKey, s.secretKey, { v3 });

  it('the reference worked example signs to the value it gives', () => {
    const p: [string, string][] = [
      ['command', 'listVirtualMachines'], ['apiKey', 'TESTAPIKEY'], ['response', 'json'], ['name', 'web 01*'],
      ['signatureVersion', '3'], ['expires', '2030-01-01T00:00:00+0000'],
    ];
    assert.equal(signature(p, 'TESTSECRET'), '5DUYgVmsCM7dhpF344eVyRyPju4=');
  });

  it('v1 over GET and POST', async () => {
    assert.equal((await get(sign({ command: 'listZones' }).query)).status, 200);
    const post = await fetch(s.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: sign({ command: 'listZones' }).query });
    assert.equal(post.status, 200);
    assert.equal((await post.json()).listzonesresponse.count, 2);
  });

  it('v3 with expires in each accepted format', async () => {
    const later = new Date(Date.now() + 600_000).toISOString().slice(0, 19);
    for (const expires of [`${later}+0000`, `${later}Z`, `${later}+00:00`, `${later}.123456Z`, `${later}.5+0000`]) {
      const r = await get(sign({ command: 'listZones' }, { expires }).query);
      assert.equal(r.status, 200, `expires=${expires}: ${JSON.stringify(r.body)}`);
    }
  });

  it('v3 refuses a missing, past or unreadable expires with 401', async () => {
    const cases = [
      signed({ command: 'listZones', response: 'json', signatureVersion: '3' }, s.apiKey, s.secretKey).query,
      sign({ command: 'listZones' }, { expires: expiresIn(-60_000) }).query,
      sign({ command: 'listZones' }, { expires: 'tomorrow' }).query,
    ];
    for (const q of cases) {
      const r = await get(q);
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { listzonesresponse: { uuidList: [], errorcode: 401, errortext: BAD } });
    }
  });

  it('a tampered value, a wrong secret or an unknown key is a 401', async () => {
    const ok = sign({ command: 'listZones', name: 'Sandbox-simulator-basic' });
    assert.equal((await get(ok.query)).status, 200);
    assert.equal((await get(ok.query.replace('basic', 'advanced'))).status, 401);
    assert.equal((await get(signed({ command: 'listZones', response: 'json' }, s.apiKey, 'not-the-secret').query)).status, 401);
    assert.equal((await get(signed({ command: 'listZones', response: 'json' }, 'nobody', s.secretKey).query)).status, 401);
  });

  it('values with spaces, *, ~, brackets, + and unicode verify', async () => {
    for (const keyword of ['web 01*', 'a~b', '[x]', 'a+b=c', 'ünï ✓', "it's (ok)!"]) {
      const r = await get(sign({ command: 'listZones', keyword }).query);
      assert.equal(r.status, 200, keyword);
    }
  });

  it('a valid signature on a command that does not exist is a 401 errorresponse', async () => {
    const r = await get(sign({ command: 'launchRocket' }).query);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { errorresponse: { uuidList: [], errorcode: 401, errortext: BAD } });
  });

  it('no credentials at all is a 401', async () => {
    const r = await get('command=listZones&response=json');
    assert.equal(r.status, 401);
    assert.equal(r.body.listzonesresponse.errortext, BAD);
  });
});
