import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

const MANIFEST = fileURLToPath(new URL('../../examples/seed/dev-cloud.yaml', import.meta.url));
const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

describe('seed manifest (--seed)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ args: ['--in-memory', '--seed', MANIFEST], env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
  });
  after(() => s.stop());

  const state = async () => {
    const dev = await httpLogin(s.endpoint, 'dev', 'dev-password');
    const vms = (await dev.call('listVirtualMachines')).body.virtualmachine ?? [];
    const groups = (await dev.call('listSecurityGroups', { securitygroupname: 'web' })).body.securitygroup ?? [];
    const keys = (await dev.call('listSSHKeyPairs')).body.sshkeypair ?? [];
    return { vms, groups, keys };
  };

  it('starts with the manifest applied: account with pinned keys, key pair, group with rules, running VM', async () => {
    const { vms, groups, keys } = await state();
    assert.deepEqual(
      vms.map((v: any) => [v.name, v.state, v.keypairs]),
      [['web-1', 'Running', 'dev-key']],
    );
    assert.deepEqual(groups[0].ingressrule.map((r: any) => `${r.startport}-${r.endport} ${r.cidr}`).sort(), [
      '22-22 0.0.0.0/0',
      '80-81 10.0.0.0/8',
    ]);
    assert.deepEqual(
      keys.map((k: any) => k.name),
      ['dev-key'],
    );
    const r = await fetch(`${s.endpoint}?command=listZones&response=json&apiKey=dev-api-key`);
    assert.equal(r.status, 401, 'pinned key exists (an unsigned call is refused as such)');
  });

  it('GET /_polystack/seed needs control credentials and masks every secret the manifest holds', async () => {
    assert.equal((await fetch(`${s.url}/_polystack/seed`)).status, 401);
    const dev = await httpLogin(s.endpoint, 'dev', 'dev-password');
    assert.equal(
      (await fetch(`${s.url}/_polystack/seed?sessionkey=${encodeURIComponent(dev.sessionkey)}`)).status,
      401,
      "a plain user's session",
    );
    const r = await fetch(`${s.url}/_polystack/seed`, { headers: { authorization: BASIC } });
    assert.equal(r.status, 200);
    const text = await r.text();
    const shown = JSON.parse(text);
    assert.equal(shown.vms[0].name, 'web-1');
    assert.deepEqual(shown.accounts[0].users[0], {
      username: 'dev',
      password: '********',
      apiKey: '********',
      secretKey: '********',
    });
    for (const secret of ['dev-password', 'dev-api-key', 'dev-secret-key'])
      assert.ok(!text.includes(secret), `${secret} is on the wire`);
  });

  it('is applied again after a reset, to the same shape', async () => {
    const dev = await httpLogin(s.endpoint, 'dev', 'dev-password');
    await dev.call('createSSHKeyPair', { name: 'scratch' });
    const reset = await fetch(`${s.url}/_polystack/reset`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(reset.status, 200);
    const { vms, keys } = await state();
    assert.deepEqual(
      vms.map((v: any) => [v.name, v.state]),
      [['web-1', 'Running']],
    );
    assert.deepEqual(
      keys.map((k: any) => k.name),
      ['dev-key'],
      'the scratch key is gone, the seeded one is back',
    );
  });
});
