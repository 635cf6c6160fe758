import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

describe('/_polystack/events (server-sent events)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
  });
  after(() => s.stop());

  it('streams the events and finished jobs of what clients do', async () => {
    const ctrl = new AbortController();
    const r = await fetch(`${s.url}/_polystack/events`, {
      headers: { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` },
      signal: ctrl.signal,
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
    const cs = await httpLogin(s.endpoint);
    await cs.call('createSSHKeyPair', { name: 'streamed' });
    const sg = (await cs.call('createSecurityGroup', { name: 'streamed-sg' })).body.securitygroup;
    await cs.call('authorizeSecurityGroupIngress', {
      securitygroupid: sg.id,
      protocol: 'tcp',
      startport: '22',
      endport: '22',
      cidrlist: '0.0.0.0/0',
    });
    const reader = r.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (
      !(text.includes('REGISTER.SSH.KEYPAIR') && text.includes('SG.CREATE') && text.includes('"status":"succeeded"')) &&
      Date.now() < deadline
    ) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    assert.match(text, /event: event\ndata: \{[^\n]*"type":"REGISTER.SSH.KEYPAIR"/);
    assert.match(text, /event: event\ndata: \{[^\n]*"type":"SG.CREATE"/);
    assert.match(text, /event: job\ndata: \{[^\n]*AuthorizeSecurityGroupIngressCmd[^\n]*"status":"succeeded"/);
  });

  it('needs control credentials', async () => {
    assert.equal((await fetch(`${s.url}/_polystack/events`)).status, 401);
  });

  it('streams to a console session only what its account may see, until the session ends', async () => {
    const admin = await httpLogin(s.endpoint);
    assert.equal(
      (
        await admin.call('createAccount', {
          username: 'viewer',
          password: 'viewer-pw',
          email: 'v@example.com',
          firstname: 'V',
          lastname: 'Iewer',
          accounttype: '0',
        })
      ).status,
      200,
    );
    const user = await httpLogin(s.endpoint, 'viewer', 'viewer-pw');
    const r = await fetch(`${s.url}/_polystack/events?sessionkey=${encodeURIComponent(user.sessionkey)}`);
    assert.equal(r.status, 200);
    await admin.call('createSSHKeyPair', { name: 'admins-key' });
    await user.call('createSSHKeyPair', { name: 'viewers-key' });
    const reader = r.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('viewers-key') && Date.now() < deadline)
      text += new TextDecoder().decode((await reader.read()).value);
    assert.match(text, /Registered SSH key pair viewers-key/);
    assert.doesNotMatch(text, /admins-key/);
    // Logging out ends the stream at its next poll.
    await user.logout();
    const ended = Date.now() + 8000;
    let done = false;
    while (!done && Date.now() < ended) done = (await reader.read()).done;
    assert.ok(done, 'the stream ended after logout');
    assert.equal(
      (await fetch(`${s.url}/_polystack/events?sessionkey=${encodeURIComponent(user.sessionkey)}`)).status,
      401,
    );
  });

  it('control endpoints take a root admin session key, not a user one', async () => {
    const admin = await httpLogin(s.endpoint);
    const user = await httpLogin(s.endpoint, 'viewer', 'viewer-pw');
    assert.equal(
      (await fetch(`${s.url}/_polystack/faults?sessionkey=${encodeURIComponent(admin.sessionkey)}`)).status,
      200,
    );
    assert.equal(
      (await fetch(`${s.url}/_polystack/faults?sessionkey=${encodeURIComponent(user.sessionkey)}`)).status,
      401,
    );
    assert.equal((await fetch(`${s.url}/_polystack/faults?sessionkey=not-a-session`)).status, 401);
  });
});
