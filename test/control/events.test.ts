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
    const r = await fetch(`${s.url}/_polystack/events`, { headers: { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` }, signal: ctrl.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/event-stream/);
    const cs = await httpLogin(s.endpoint);
    await cs.call('createSSHKeyPair', { name: 'streamed' });
    const sg = (await cs.call('createSecurityGroup', { name: 'streamed-sg' })).body.securitygroup;
    await cs.call('authorizeSecurityGroupIngress', { securitygroupid: sg.id, protocol: 'tcp', startport: '22', endport: '22', cidrlist: '0.0.0.0/0' });
    const reader = r.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (!(text.includes('REGISTER.SSH.KEYPAIR') && text.includes('SG.CREATE') && text.includes('"status":"succeeded"')) && Date.now() < deadline) {
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
});
