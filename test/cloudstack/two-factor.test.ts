import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { handleApi } from '../../src/cloudstack/api.js';
import { sign } from '../../src/cloudstack/signature.js';
import { base32Decode, base32Encode, hotp, totp } from '../../src/domain/totp.js';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { fingerprint, refused } from '../helpers/networking.js';

describe('RFC 6238 time-based one-time passwords', () => {
  // RFC 6238 appendix B: the SHA-1 key "12345678901234567890", eight digits, 30-second steps.
  const key = Buffer.from('12345678901234567890');
  it('gives the appendix B codes', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [t, code] of vectors) assert.equal(totp(key, t * 1000, 30, 8), code, `T=${t}`);
  });
  it('six digits is the same code truncated the RFC 4226 way (appendix D of RFC 4226 for counters 0 and 1)', () => {
    assert.equal(hotp(key, 0), '755224');
    assert.equal(hotp(key, 1), '287082');
    assert.equal(totp(key, 59_000), '287082');
  });
  it('base32 round-trips and decodes leniently (case, padding)', () => {
    const bytes = Buffer.from('Hello!\xde\xad\xbe\xef', 'latin1');
    assert.equal(base32Encode(bytes), 'JBSWY3DPEHPK3PXP');
    assert.deepEqual(base32Decode('jbswy3dpehpk3pxp'), bytes);
    assert.equal(base32Encode(Buffer.from('f')), 'MY======');
    assert.deepEqual(base32Decode('MY======'), Buffer.from('f'));
  });
});

interface Login {
  status: number;
  body: any;
  cookies: Record<string, string>;
  call: Api;
}

/** A login through the pipeline that keeps its answer (apiSession throws it away). */
async function login(w: World, username: string, password = 'pw'): Promise<Login> {
  const r = await handleApi(w.s, {
    method: 'POST',
    pairs: [
      ['command', 'login'],
      ['username', username],
      ['password', password],
      ['domain', '/tfa'],
      ['response', 'json'],
    ],
    cookies: {},
  });
  const body = JSON.parse(r.body).loginresponse;
  const cookies = {
    JSESSIONID:
      /JSESSIONID=([^;]+)/.exec(([] as string[]).concat(r.headers?.['Set-Cookie'] ?? []).join(';'))?.[1] ?? '',
  };
  const call: Api = async (command, params = {}) => {
    const pairs: [string, string][] = [
      ['command', command],
      ['response', 'json'],
      ['sessionkey', body.sessionkey],
      ...Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]),
    ];
    const res = await handleApi(w.s, { method: 'GET', pairs, cookies });
    const parsed = JSON.parse(res.body);
    return { status: res.status, body: parsed[Object.keys(parsed)[0]!] };
  };
  return { status: r.status, body, cookies, call };
}

describe('user two-factor authentication', () => {
  let w: World;
  let admin: Api;
  let domainId: string;
  const user = async (name: string) => (await admin('listUsers', { username: name, listall: true })).body.user[0];
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    domainId = (await admin('createDomain', { name: 'tfa' })).body.domain.id;
    for (const name of ['alice', 'bob', 'carol'])
      assert.equal(
        (
          await admin('createAccount', {
            account: name,
            username: name,
            password: 'pw',
            email: `${name}@x`,
            firstname: name,
            lastname: 't',
            accounttype: 0,
            domainid: domainId,
          })
        ).status,
        200,
      );
  });
  after(() => w.close());

  it('lists its two providers, by name too', async () => {
    const { call } = await login(w, 'alice');
    const all = (await call('listUserTwoFactorAuthenticatorProviders')).body;
    assert.deepEqual(
      all.providers.map((p: any) => p.name),
      ['staticpin', 'totp'],
    );
    assert.equal(all.count, 2);
    assert.deepEqual((await call('listUserTwoFactorAuthenticatorProviders', { name: 'totp' })).body.providers, [
      { name: 'totp', description: 'TOTP user two factor authentication provider Plugin' },
    ]);
  });

  it('without enable.user.2fa (or mandate.user.2fa) for the domain, setup is refused and nothing changes', async () => {
    const l = await login(w, 'alice');
    assert.deepEqual(
      [l.body.is2faenabled, l.body.is2faverified, l.body.issuerfor2fa, l.body.providerfor2fa],
      ['false', 'true', 'CloudStack', undefined],
    );
    await refused(
      w,
      l.call,
      'setupUserTwoFactorAuthentication',
      { provider: 'staticpin' },
      530,
      '2FA is not enabled for this domain or at global level',
    );
  });

  it('a domain that enables it: staticpin setup, then a login must validate the pin before anything else', async () => {
    assert.equal(
      (await admin('updateConfiguration', { name: 'enable.user.2fa', value: 'true', domainid: domainId })).status,
      200,
    );
    const first = await login(w, 'alice');
    const setup = (await first.call('setupUserTwoFactorAuthentication', { provider: 'staticpin' })).body.setup2fa;
    const alice = await user('alice');
    assert.deepEqual([setup.id, setup.username], [alice.id, 'alice']);
    assert.match(setup.secretcode, /^\d{6}$/);
    assert.deepEqual([alice.is2faenabled, alice.is2famandated], [true, false]);
    // A second setup while the key is there is CloudStack's 530.
    await refused(
      w,
      first.call,
      'setupUserTwoFactorAuthentication',
      { provider: 'staticpin' },
      530,
      '2FA key is already setup for the user account alice',
    );

    // A session whose code is due may call the few setup commands, and nothing else: the refusal ends it.
    const second = await login(w, 'alice');
    assert.deepEqual(
      [second.body.is2faenabled, second.body.is2faverified, second.body.providerfor2fa],
      ['true', 'false', 'staticpin'],
    );
    assert.equal((await second.call('listUserTwoFactorAuthenticatorProviders')).status, 200);
    const blocked = await second.call('listVirtualMachines');
    assert.equal(blocked.status, 411);
    assert.equal(
      blocked.body.errortext,
      'Unable to process the API request due to :Two factor authentication 2FA is enabled but not verified, please verify 2FA using validateUserTwoFactorAuthenticationCode API before calling other APIs. Existing session is invalidated.',
    );
    assert.equal((await second.call('listUserTwoFactorAuthenticatorProviders')).status, 401);

    // The right pin opens the session.
    const third = await login(w, 'alice');
    assert.equal((await third.call('validateUserTwoFactorAuthenticationCode')).status, 531);
    const ok = await third.call('validateUserTwoFactorAuthenticationCode', { codefor2fa: setup.secretcode });
    assert.deepEqual([ok.status, ok.body], [200, { success: true }]);
    assert.equal((await third.call('listVirtualMachines')).status, 200);

    // Once set up, a wrong code ends the session; the error wraps the authenticator's own serialized error.
    const fourth = await login(w, 'alice');
    const wrong = await fourth.call('validateUserTwoFactorAuthenticationCode', {
      codefor2fa: setup.secretcode === '111111' ? '222222' : '111111',
    });
    assert.equal(wrong.status, 411);
    assert.equal(wrong.body.cserrorcode, 4295);
    assert.deepEqual(JSON.parse(wrong.body.errortext), {
      validateusertwofactorauthenticationcoderesponse: {
        uuidList: [],
        errorcode: 411,
        errortext: 'two-factor authentication code provided is invalid',
      },
    });
    assert.equal((await fourth.call('listUserTwoFactorAuthenticatorProviders')).status, 401);
    assert.equal((await user('alice')).is2faenabled, true, 'a wrong code after setup leaves 2FA on');
  });

  it('totp: the code of the current 30-second step validates; a wrong code during setup undoes the setup and keeps the session', async () => {
    const s = await login(w, 'bob');
    const setup = (await s.call('setupUserTwoFactorAuthentication', { provider: 'TOTP' })).body.setup2fa;
    assert.match(setup.secretcode, /^[A-Z2-7]{32}$/);
    const next = await login(w, 'bob');
    const bad = await next.call('validateUserTwoFactorAuthenticationCode', { codefor2fa: 'nope' });
    assert.equal(bad.status, 411);
    assert.equal((await user('bob')).is2faenabled, false, 'the setup was not confirmed, so it is undone');
    assert.equal((await next.call('listVirtualMachines')).status, 200, 'the session stays: nothing is due any more');

    const again = (await next.call('setupUserTwoFactorAuthentication', {})).body.setup2fa;
    assert.match(again.secretcode, /^[A-Z2-7]{32}$/, 'user.2fa.default.provider is totp');
    const third = await login(w, 'bob');
    const code = totp(base32Decode(again.secretcode), w.clock.now());
    assert.equal((await third.call('validateUserTwoFactorAuthenticationCode', { codefor2fa: code })).status, 200);
    assert.equal((await third.call('listVirtualMachines')).status, 200);
  });

  it("disable clears the user's setup (an admin may name the user); others cannot", async () => {
    const carol = await login(w, 'carol');
    assert.equal((await carol.call('setupUserTwoFactorAuthentication', { provider: 'staticpin' })).status, 200);
    const other = await login(w, 'bob');
    const code = totp(
      base32Decode(
        (
          await w.store.db
            .selectFrom('users')
            .select('keyFor2fa')
            .where('username', '=', 'bob')
            .executeTakeFirstOrThrow()
        ).keyFor2fa!,
      ),
      w.clock.now(),
    );
    await other.call('validateUserTwoFactorAuthenticationCode', { codefor2fa: code });
    const carolId = (await user('carol')).id;
    const before = await fingerprint(w);
    assert.equal(
      (await other.call('setupUserTwoFactorAuthentication', { enable: false, userid: carolId })).status,
      531,
    );
    assert.equal(await fingerprint(w), before);
    const off = (await admin('setupUserTwoFactorAuthentication', { enable: false, userid: carolId })).body.setup2fa;
    assert.deepEqual(off, { id: carolId, username: 'carol' });
    assert.equal((await user('carol')).is2faenabled, false);
    const relogin = await login(w, 'carol');
    assert.deepEqual([relogin.body.is2faenabled, relogin.body.providerfor2fa], ['false', undefined]);
  });

  it('mandate.user.2fa: every login in the domain owes a code, and users say so', async () => {
    assert.equal(
      (await admin('updateConfiguration', { name: 'mandate.user.2fa', value: 'true', domainid: domainId })).status,
      200,
    );
    assert.equal(
      (await admin('updateConfiguration', { name: 'user.2fa.issuer', value: 'Acme', domainid: domainId })).status,
      200,
    );
    const carol = await user('carol');
    assert.deepEqual([carol.is2faenabled, carol.is2famandated], [false, true]);
    assert.equal(
      (await admin('listUsers', { username: 'admin' })).body.user[0].is2famandated,
      false,
      'ROOT does not mandate it',
    );
    const l = await login(w, 'carol');
    assert.deepEqual([l.body.is2faenabled, l.body.is2faverified, l.body.issuerfor2fa], ['true', 'false', 'Acme']);
    const r = await l.call('listNetworks');
    assert.equal(r.status, 411);
    assert.match(
      r.body.errortext,
      /^Unable to process the API request due to :Two factor authentication is mandated by admin, user needs to setup 2FA/,
    );
    const m = await login(w, 'carol');
    const noSetup = await m.call('validateUserTwoFactorAuthenticationCode', { codefor2fa: '123456' });
    assert.deepEqual(
      [noSetup.status, noSetup.body.errortext],
      [530, 'Two factor authentication is not enabled on the user: carol'],
    );
    await admin('updateConfiguration', { name: 'mandate.user.2fa', value: 'false', domainid: domainId });
  });

  it('validateUserTwoFactorAuthenticationCode with an API key is not an authentication: 405', async () => {
    const keys = (
      await admin('registerUserKeys', { id: (await admin('listUsers', { username: 'admin' })).body.user[0].id })
    ).body.userkeys;
    const pairs: [string, string][] = [
      ['command', 'validateUserTwoFactorAuthenticationCode'],
      ['codefor2fa', '1'],
      ['response', 'json'],
      ['apikey', keys.apikey],
    ];
    pairs.push(['signature', sign(pairs, keys.secretkey)]);
    const r = await handleApi(w.s, { method: 'GET', pairs, cookies: {} });
    assert.equal(r.status, 405);
    assert.equal(
      JSON.parse(r.body).validateusertwofactorauthenticationcoderesponse.errortext,
      'This is an authentication api, cannot be used directly',
    );
  });
});
