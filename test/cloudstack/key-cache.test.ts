// Who an API key is stays cached while no table a caller is read from is written (Store.versionOf), so a
// storm of deploys no longer re-reads users, accounts, domains and roles on every call. What the cache must
// never do: answer for a key after its user, account or role changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

describe('API key callers, cached', () => {
  let s: TestServer;
  let admin: CsClient;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
  });
  after(() => s.stop());

  it('a disabled user, account or removed key pair is refused on the next call, whatever else was written between', async () => {
    for (const [change, undo] of [
      ['disableUser', 'enableUser'],
      ['disableAccount', 'enableAccount'],
    ] as const) {
      const t = await createTenant(admin, `cached-${change.toLowerCase()}`);
      const user = new CsClient(s.endpoint, t.apiKey, t.secretKey);
      assert.equal((await user.call('listZones', {})).status, 200);
      // A write to a table no caller is read from: the cached caller stays.
      assert.equal((await user.call('createSSHKeyPair', { name: `k-${change}` })).status, 200);
      assert.equal((await user.call('listZones', {})).status, 200);
      const params: Record<string, string> =
        change === 'disableUser' ? { id: t.userId } : { id: t.accountId, lock: 'false' };
      const changed = await admin.call(change, params);
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal((await user.call('listZones', {})).status, 401, `${change}: the key still worked`);
      await admin.call(undo, change === 'disableUser' ? { id: t.userId } : { id: t.accountId });
      assert.equal((await user.call('listZones', {})).status, 200, `${undo}: the key works again`);
    }
    // A session's user is kept the same way: a disabled user's session stops at its next call.
    const st = await createTenant(admin, 'cached-session');
    const session = await httpLogin(s.endpoint, 'cached-session', 'cached-session-pw');
    assert.equal((await session.call('listZones', {})).status, 200);
    assert.equal((await session.call('createSSHKeyPair', { name: 'k-session' })).status, 200);
    assert.equal((await admin.call('disableUser', { id: st.userId })).status, 200);
    assert.notEqual((await session.call('listZones', {})).status, 200, "the disabled user's session still worked");
    const t = await createTenant(admin, 'cached-newkeys');
    const user = new CsClient(s.endpoint, t.apiKey, t.secretKey);
    assert.equal((await user.call('listZones', {})).status, 200);
    assert.equal((await admin.call('registerUserKeys', { id: t.userId })).status, 200);
    assert.equal((await user.call('listZones', {})).status, 401, 'the replaced key pair still worked');
  });
});
