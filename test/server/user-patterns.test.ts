import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FrontClient, type Ec2Reply } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ZONE = 'sandbox-simulator-basic';
// 62 letters then one that breaks the match: `(a+)+` on a backtracking engine tries 2^62 ways.
const LONG_NAME = `${'a'.repeat(62)}b`;
// 40 stars: `.*a.*a...` on a backtracking engine tries every placement of 40 stars over 255 letters.
const STARS = `${'*a'.repeat(40)}*b`;

/**
 * Patterns from requests run in linear time over the wire (issue 13): while a hostile filter is
 * evaluated, the server keeps answering; a filter nested 5,000 deep is a 400, not a 500. The test
 * does not time anything: on a backtracking engine these requests do not finish, and the test's
 * timeout reports it.
 */
describe('user patterns over the wire', { timeout: 120_000 }, () => {
  let s: TestServer;
  let fronts: FrontClient;
  const items = (r: { body: any }) => (r.body.items ?? []).map((i: any) => i.name);
  const list = (filter: string) =>
    fronts.gce('GET', `admin/zones/${ZONE}/instances?filter=${encodeURIComponent(filter)}`);

  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    fronts = new FrontClient(s.url, { apiKey: s.apiKey, secretKey: s.secretKey });
    const op = await fronts.gce('POST', `admin/zones/${ZONE}/instances`, {
      name: LONG_NAME,
      machineType: `zones/${ZONE}/machineTypes/small-instance`,
      disks: [{ boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } }],
    });
    assert.equal(op.status, 200, op.text);
    const done = await fronts.gce('POST', `admin/zones/${ZONE}/operations/${op.body.name}/wait`);
    assert.equal(done.body.status, 'DONE', done.text);
  });
  after(() => s.stop());

  it('GCE: `name eq (a+)+` over a 63-character name answers, and health answers meanwhile', async () => {
    const [redos, health] = await Promise.all([list('name eq (a+)+'), fetch(`${s.url}/_polystack/health`)]);
    assert.equal(redos.status, 200, redos.text);
    assert.deepEqual(items(redos), []);
    assert.equal(health.status, 200);
    assert.deepEqual(items(await list('name eq (a+)+b')), [LONG_NAME]);
    assert.deepEqual(items(await list('name ne (a|aa)+')), [LONG_NAME]);
  });

  it("GCE: 5,000 nested parentheses, a backreference, a lookahead are 400 invalid in Google's shape", async () => {
    for (const [filter, why] of [
      [`${'('.repeat(5000)}name eq a${')'.repeat(5000)}`, /nested deeper than 100/],
      ['name eq (a)\\1', /bad regular expression/],
      ['name eq a(?=b)', /bad regular expression/],
    ] as const) {
      const r = await list(filter);
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.equal(r.body.error.code, 400);
      assert.equal(r.body.error.status, 'INVALID_ARGUMENT');
      assert.equal(r.body.error.errors[0].reason, 'invalid');
      assert.match(r.body.error.message, why);
    }
  });

  it('EC2: a filter value with many * over a 255-character tag value completes', async () => {
    const ok = (r: Ec2Reply) => {
      assert.equal(r.status, 200, r.text);
      return r;
    };
    const group = ok(
      await fronts.ec2({ Action: 'CreateSecurityGroup', GroupName: 'stars', GroupDescription: 'a'.repeat(255) }),
    ).xml.CreateSecurityGroupResponse.groupId;
    ok(
      await fronts.ec2({
        Action: 'CreateTags',
        'ResourceId.1': group,
        'Tag.1.Key': 'note',
        'Tag.1.Value': 'a'.repeat(255),
      }),
    );
    const tags = async (value: string) => {
      const r = ok(await fronts.ec2({ Action: 'DescribeTags', 'Filter.1.Name': 'value', 'Filter.1.Value.1': value }));
      return [r.xml.DescribeTagsResponse.tagSet?.item ?? []].flat().map((t: any) => t.resourceId);
    };
    assert.deepEqual(await tags(STARS), []);
    assert.deepEqual(await tags(`${'*a'.repeat(40)}*`), [group]);
    const groups = ok(
      await fronts.ec2({ Action: 'DescribeSecurityGroups', 'Filter.1.Name': 'description', 'Filter.1.Value.1': STARS }),
    );
    assert.equal(groups.xml.DescribeSecurityGroupsResponse.securityGroupInfo?.item, undefined);
  });

  it('EC2: more than 200 filter values in one call is FilterLimitExceeded, as AWS answers', async () => {
    const values = (n: number, from = 1) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`Filter.${from}.Value.${i + 1}`, `${STARS}${i}`]));
    const call = (first: number, second: number) =>
      fronts.ec2({
        Action: 'DescribeTags',
        'Filter.1.Name': 'value',
        ...values(first),
        'Filter.2.Name': 'key',
        ...values(second, 2),
      });
    const over = await call(150, 51);
    assert.deepEqual([over.status, over.code], [400, 'FilterLimitExceeded']);
    assert.equal(
      over.xml.Response.Errors.Error.Message,
      'The maximum number of filter values specified on a single call is 200',
    );
    assert.equal((await call(150, 50)).status, 200);
  });
});
