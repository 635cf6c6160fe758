import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant, FrontClient } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';

const LIMIT_TEXT = /^The given user has reached his\/her account api limit, please retry after \[\d+\] ms\.$/;

/** api.throttling as CloudStack's rate-limit plugin applies it, answered in each front's own shape. */
describe('api.throttling per account', () => {
  let s: TestServer;
  let admin: CsClient;
  let tenant: FrontClient;
  let other: FrontClient;
  const reset = async () => assert.equal((await admin.call('resetApiLimit', {})).status, 200);

  before(async () => {
    // A long window so a slow machine cannot roll it over in the middle of a test.
    s = await startServer({
      env: {
        POLYSTACK_API_THROTTLING_ENABLED: 'true',
        POLYSTACK_API_THROTTLING_MAX: '5',
        POLYSTACK_API_THROTTLING_INTERVAL: '30',
        POLYSTACK_AGENT_DELAY_MS: '0',
      },
    });
    admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    tenant = new FrontClient(s.url, await createTenant(admin, 'throttled'));
    other = new FrontClient(s.url, await createTenant(admin, 'bystander'));
  });
  after(() => s.stop());

  it('CloudStack: the call past api.throttling.max is a 429 with the plugin text, per account', async () => {
    await reset();
    for (let i = 0; i < 5; i++) assert.equal((await tenant.cs.call('listZones')).status, 200, `call ${i + 1}`);
    const refused = await tenant.cs.call('listZones');
    assert.equal(refused.status, 429);
    assert.equal(refused.key, 'listzonesresponse');
    assert.equal(refused.body.errorcode, 429);
    assert.equal(refused.body.cserrorcode, 9999);
    assert.match(refused.body.errortext, LIMIT_TEXT);
    const xml = await tenant.cs.raw({ command: 'listZones' });
    assert.equal(xml.status, 429);
    assert.match(xml.text, /<errorcode>429<\/errorcode>/);
    // Another account has its own window; the root admin has none.
    assert.equal((await other.cs.call('listZones')).status, 200);
    for (let i = 0; i < 12; i++) assert.equal((await admin.call('listZones')).status, 200);
  });

  it('getApiLimit reports the window; resetApiLimit (admin) clears one account', async () => {
    await reset();
    const got = await tenant.cs.call('getApiLimit');
    assert.equal(got.status, 200);
    const limit = got.body.apilimit;
    assert.equal(limit.account, 'throttled');
    assert.equal(limit.apiIssued, 1);
    assert.equal(limit.apiAllowed, 4);
    assert.ok(limit.expireAfter > 0 && limit.expireAfter <= 30_000, String(limit.expireAfter));
    for (let i = 0; i < 5; i++) await tenant.cs.call('listZones');
    assert.equal((await tenant.cs.call('listZones')).status, 429);
    const accounts = (await admin.call('listAccounts', { name: 'throttled', listall: 'true' })).body.account;
    assert.equal((await admin.call('resetApiLimit', { account: accounts[0].id })).status, 200);
    assert.equal((await tenant.cs.call('listZones')).status, 200);
    assert.equal((await tenant.cs.call('resetApiLimit')).status, 432, 'a user may not reset limits');
  });

  it('listCapabilities shows the limit while throttling is on', async () => {
    const caps = (await admin.call('listCapabilities')).body.capability;
    assert.equal(caps.apilimitmax, 5);
    assert.equal(caps.apilimitinterval, 30);
  });

  it('EC2: RequestLimitExceeded (503), one count per EC2 request however many CloudStack calls it makes', async () => {
    await reset();
    // DescribeInstances makes several CloudStack calls; five of them still fit in a limit of five.
    for (let i = 0; i < 5; i++)
      assert.equal((await tenant.ec2({ Action: 'DescribeInstances' })).status, 200, `call ${i + 1}`);
    const refused = await tenant.ec2({ Action: 'DescribeInstances' });
    assert.equal(refused.status, 503);
    assert.equal(refused.code, 'RequestLimitExceeded');
    assert.equal(refused.xml.Response.Errors.Error.Message, 'Request limit exceeded.');
  });

  it('GCE: 429 rateLimitExceeded; the token endpoint does not count', async () => {
    await reset();
    const token = await tenant.gceToken();
    for (let i = 0; i < 5; i++)
      assert.equal((await tenant.gce('GET', 'throttled/zones', undefined, token)).status, 200, `call ${i + 1}`);
    const refused = await tenant.gce('GET', 'throttled/zones', undefined, token);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 429);
    assert.equal(refused.body.error.errors[0].reason, 'rateLimitExceeded');
    assert.equal(refused.body.error.status, 'RESOURCE_EXHAUSTED');
  });

  it('the three fronts share one window per account', async () => {
    await reset();
    await tenant.cs.call('listZones');
    await tenant.cs.call('listZones');
    await tenant.ec2({ Action: 'DescribeRegions' });
    await tenant.ec2({ Action: 'DescribeRegions' });
    assert.equal((await tenant.gce('GET', 'throttled/zones')).status, 200);
    assert.equal((await tenant.gce('GET', 'throttled/zones')).status, 429);
    assert.equal((await tenant.cs.call('listZones')).status, 429);
  });

  it('updateConfiguration turns it off at once, and getApiLimit then refuses (432)', async () => {
    assert.equal(
      (await admin.call('updateConfiguration', { name: 'api.throttling.enabled', value: 'maybe' })).status,
      431,
    );
    assert.equal(
      (await admin.call('updateConfiguration', { name: 'api.throttling.enabled', value: 'false' })).status,
      200,
    );
    for (let i = 0; i < 8; i++) assert.equal((await tenant.cs.call('listZones')).status, 200);
    const off = await tenant.cs.call('getApiLimit');
    assert.equal(off.status, 432);
    assert.equal(off.body.errortext, 'This api is only available when api.throttling.enabled = true.');
    assert.equal((await admin.call('listCapabilities')).body.capability.apilimitmax, undefined);
  });
});
