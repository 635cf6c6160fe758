// incorrect.login.attempts.allowed: wrong passwords disable a user (AccountManagerImpl.getUserAccount, 4.18).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import { handleApi } from '../../src/cloudstack/api.js';
import { allowControl } from '../../src/control/auth.js';
import { ManualClock } from '../../src/domain/clock.js';
import { createServices } from '../../src/server/services.js';
import type { Services } from '../../src/services/services.js';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { forEachDialect } from '../helpers/dialects.js';
import { refused } from '../helpers/networking.js';

const SETTING = 'incorrect.login.attempts.allowed';
const wrongText = (username: string) =>
  `Failed to authenticate user ${username} in domain 1; please provide valid credentials`;

/** A login through the CloudStack pipeline: the status and the loginresponse. */
async function login(s: Services, username: string, password: string): Promise<{ status: number; body: any }> {
  const r = await handleApi(s, {
    method: 'POST',
    pairs: [
      ['command', 'login'],
      ['username', username],
      ['password', password],
      ['response', 'json'],
    ],
    cookies: {},
  });
  return { status: r.status, body: JSON.parse(r.body).loginresponse };
}

async function wrongLogin(s: Services, username: string): Promise<void> {
  const r = await login(s, username, 'not-the-password');
  assert.equal(r.status, 531);
  // The same answer whether attempts remain or the user has just been disabled: nothing tells the guesser.
  assert.equal(r.body.errortext, wrongText(username));
}

/** HTTP Basic on a control route, the other way a password is checked. */
const basic = (s: Services, username: string, password: string) =>
  allowControl(s, undefined, {
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    query: {},
  } as unknown as FastifyRequest);

describe('incorrect.login.attempts.allowed', () => {
  let w: World;
  let admin: Api;
  const users: Record<string, any> = {};
  const state = async (name: string) => (await admin('listUsers', { id: users[name].id })).body.user[0].state;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    for (const name of ['ann', 'bob', 'cat', 'dan', 'eve']) {
      const r = await admin('createAccount', {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: 't',
        accounttype: 0,
      });
      users[name] = r.body.account.user[0];
    }
    await admin('createAccount', {
      account: 'root2',
      username: 'root2',
      password: 'pw',
      email: 'r@x',
      firstname: 'r',
      lastname: 't',
      accounttype: 1,
    });
  });
  after(() => w.close());

  it('is a global setting listed with CloudStack 4.18 name, default, category and description', async () => {
    const r = await admin('listConfigurations', { name: SETTING });
    assert.equal(r.body.count, 1);
    const c = r.body.configuration[0];
    assert.deepEqual([c.name, c.value, c.category, c.scope], [SETTING, '5', 'Advanced', 'global']);
    assert.equal(
      c.description,
      'Incorrect login attempts allowed before the user is disabled (when value > 0). If value <=0 users are not disabled after failed login attempts',
    );
  });

  it('updateConfiguration takes only a positive whole number, with ConfigurationManagerImpl texts', async () => {
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: SETTING, value: '0' },
      431,
      `Please enter a positive value for the configuration parameter:${SETTING}`,
    );
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: SETTING, value: '-3' },
      431,
      `Please enter a positive value for the configuration parameter:${SETTING}`,
    );
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: SETTING, value: '2.5' },
      431,
      `There was an error trying to parse the integer value for:${SETTING}`,
    );
    await refused(
      w,
      admin,
      'updateConfiguration',
      { name: 'expunge.interval', value: '0' },
      431,
      'Please enter a positive value for the configuration parameter:expunge.interval',
    );
  });

  it('the fifth wrong password in a row disables the user; the refusals all read the same', async () => {
    for (let i = 0; i < 4; i++) await wrongLogin(w.s, 'ann');
    assert.equal(await state('ann'), 'enabled');
    await wrongLogin(w.s, 'ann');
    assert.equal(await state('ann'), 'disabled');
    // The right password now gets CloudStack's disabled/locked answer, and no session.
    const right = await login(w.s, 'ann', 'pw');
    assert.equal(right.status, 531);
    assert.equal(
      right.body.errortext,
      'User ann (or their account) in domain ROOT is disabled/locked. Please contact the administrator.',
    );
    // A disabled user's wrong passwords are not counted further, and its API keys stop working too.
    await wrongLogin(w.s, 'ann');
    const keys = (await admin('registerUserKeys', { id: users['ann'].id })).body.userkeys;
    assert.equal(await w.s.accounts.byApiKey(keys.apikey), undefined);
  });

  it('a right password sets the count back to zero', async () => {
    for (let i = 0; i < 4; i++) await wrongLogin(w.s, 'bob');
    assert.equal((await login(w.s, 'bob', 'pw')).status, 200);
    for (let i = 0; i < 4; i++) await wrongLogin(w.s, 'bob');
    assert.equal(await state('bob'), 'enabled');
    assert.equal((await login(w.s, 'bob', 'pw')).status, 200);
  });

  it('enableUser lets the user in again, with a fresh count', async () => {
    for (let i = 0; i < 5; i++) await wrongLogin(w.s, 'cat');
    assert.equal(await state('cat'), 'disabled');
    assert.equal((await admin('enableUser', { id: users['cat'].id })).body.user.state, 'enabled');
    // Four more wrong ones would have disabled it again had the count stayed at five.
    for (let i = 0; i < 4; i++) await wrongLogin(w.s, 'cat');
    assert.equal(await state('cat'), 'enabled');
    assert.equal((await login(w.s, 'cat', 'pw')).status, 200);
  });

  it('HTTP Basic on the control routes counts toward the same limit', async () => {
    for (let i = 0; i < 2; i++) await wrongLogin(w.s, 'dan');
    for (let i = 0; i < 3; i++) assert.equal(await basic(w.s, 'dan', 'guess'), false);
    assert.equal(await state('dan'), 'disabled');
  });

  it('root admins are internal accounts: never disabled by wrong passwords', async () => {
    for (const name of ['admin', 'root2']) {
      for (let i = 0; i < 7; i++) await wrongLogin(w.s, name);
      assert.equal(await basic(w.s, name, 'guess'), false);
      assert.equal((await login(w.s, name, name === 'admin' ? 'password' : 'pw')).status, 200, name);
    }
    assert.equal(await basic(w.s, 'admin', 'password'), true);
  });

  it('a changed limit applies to the next wrong password', async () => {
    assert.equal((await admin('updateConfiguration', { name: SETTING, value: '2' })).status, 200);
    try {
      await wrongLogin(w.s, 'eve');
      assert.equal(await state('eve'), 'enabled');
      await wrongLogin(w.s, 'eve');
      assert.equal(await state('eve'), 'disabled');
    } finally {
      await admin('updateConfiguration', { name: SETTING, value: '5' });
    }
  });

  it('unknown users are refused with the common text and nothing is written', async () => {
    const before = w.store.version();
    await wrongLogin(w.s, 'nobody');
    assert.equal(w.store.version(), before);
  });
});

forEachDialect('login attempts are stored', (use) => {
  it('counted across nodes sharing the database and kept by a node that starts afterwards', () =>
    use(async (d) => {
      const clock = new ManualClock();
      const node = async (store: Awaited<ReturnType<typeof d.open>>) =>
        createServices(store, clock, pino({ level: 'silent' }), { agentDelayMs: 0 });
      const a = await node(await d.seeded());
      const b = await node(await d.peer());
      const admin = (await a.accounts.login('admin', 'password', {})) as { user: any };
      await a.accounts.createAccount(
        (await import('../../src/services/identity/account.service.js')).toCaller(admin.user),
        {
          accountName: 'zed',
          accountType: 0,
          username: 'zed',
          password: 'pw',
          email: 'z@x',
          firstname: 'z',
          lastname: 't',
        },
      );
      await wrongLogin(a, 'zed');
      await wrongLogin(b, 'zed');
      await wrongLogin(a, 'zed');
      // A node started now (a restart) reads the count from the database, not from memory.
      const store = await d.open();
      const c = await node(store);
      const row = await store.db
        .selectFrom('users')
        .select(['loginAttempts', 'state'])
        .where('username', '=', 'zed')
        .executeTakeFirstOrThrow();
      assert.deepEqual([Number(row.loginAttempts), row.state], [3, 'enabled']);
      await wrongLogin(c, 'zed');
      await wrongLogin(b, 'zed');
      const right = await login(a, 'zed', 'pw');
      assert.equal(
        right.body.errortext,
        'User zed (or their account) in domain ROOT is disabled/locked. Please contact the administrator.',
      );
    }));
});
