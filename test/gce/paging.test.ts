import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { startServer, type TestServer } from '../helpers/server.js';
import { CsClient } from '../helpers/cs-client.js';
import { basics } from '../helpers/cs-fixtures.js';
import { gceToken, googleCompute } from './googleapis-client.js';

const ZONE = 'sandbox-simulator-basic';
const project = 'admin';

/**
 * instances.list pages in CloudStack (names first, then only the page in full): every instance
 * comes once and in name order across pages, a filter holds on every page, and the pageToken names
 * the last instance shown, so instances created before it do not shift the next page.
 */
describe('GCE instances.list pages', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  // Created out of name order, so creation order and name order differ.
  const names = ['web-07', 'db-02', 'web-03', 'cache-1', 'web-10', 'db-01', 'web-01', 'cache-2', 'web-05'];
  const team = (n: string) => (n.startsWith('web') ? 'front' : 'back');
  let image = '';
  let token = '';
  const listUrl = (q: Record<string, string>) =>
    `${s.url}/compute/v1/projects/${project}/zones/${ZONE}/instances?${new URLSearchParams(q)}`;
  const raw = async (q: Record<string, string>) => {
    const r = await fetch(listUrl(q), { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await r.json()) as any };
  };
  /** Every page of a raw HTTP list, its items in full, in order. */
  async function rawWalk(q: Record<string, string>): Promise<{ pages: number; items: unknown[] }> {
    const items: unknown[] = [];
    let pages = 0;
    let pageToken: string | undefined;
    do {
      const r = await raw({ ...q, ...(pageToken ? { pageToken } : {}) });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      items.push(...(r.body.items ?? []));
      pageToken = r.body.nextPageToken;
      pages++;
    } while (pageToken && pages < 30);
    return { pages, items };
  }

  const insert = async (name: string) => {
    const op = (
      await gce.instances.insert({
        project,
        zone: ZONE,
        requestBody: {
          name,
          machineType: `zones/${ZONE}/machineTypes/small-instance`,
          labels: { team: team(name) },
          disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: image } }],
          networkInterfaces: [{ network: 'global/networks/default' }],
        },
      })
    ).data;
    const done = (await gce.zoneOperations.wait({ project, zone: ZONE, operation: op.name! })).data;
    assert.equal(done.error, undefined, JSON.stringify(done.error));
  };

  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    gce = await googleCompute(s);
    token = await gceToken(s);
    image = (await gce.images.list({ project })).data.items!.find(
      (i) => i.name === 'ubuntu-22-04-simulator',
    )!.selfLink!;
    for (const n of names) await insert(n);
  });
  after(() => s.stop());

  async function walk(params: { maxResults: number; filter?: string; orderBy?: string }) {
    const pages: string[][] = [];
    let pageToken: string | undefined;
    do {
      const r = (await gce.instances.list({ project, zone: ZONE, ...params, pageToken })).data;
      assert.equal(r.kind, 'compute#instanceList');
      pages.push((r.items ?? []).map((i) => i.name!));
      pageToken = r.nextPageToken ?? undefined;
    } while (pageToken && pages.length < 20);
    return pages;
  }

  it('shows every instance once, in name order, in pages of maxResults, the last without a nextPageToken', async () => {
    const pages = await walk({ maxResults: 4 });
    assert.deepEqual(pages, [
      ['cache-1', 'cache-2', 'db-01', 'db-02'],
      ['web-01', 'web-03', 'web-05', 'web-07'],
      ['web-10'],
    ]);
    const one = (await gce.instances.list({ project, zone: ZONE })).data;
    assert.deepEqual(
      one.items!.map((i) => i.name),
      [...names].sort(),
    );
    assert.equal(one.nextPageToken, undefined);
    const full = one.items!.find((i) => i.name === 'web-07')!;
    assert.equal(full.status, 'RUNNING');
    assert.equal(full.labels?.['team'], 'front');
    assert.equal(full.disks?.[0]?.boot, true);
    assert.ok(full.networkInterfaces?.[0]?.networkIP, 'the page is rendered in full');
  });

  it('ends without a token when the last page is exactly full', async () => {
    const pages = await walk({ maxResults: 3 });
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 3],
    );
  });

  it('keeps the filter on every page', async () => {
    const pages = await walk({ maxResults: 2, filter: 'labels.team = "front"' });
    assert.deepEqual(pages.flat(), ['web-01', 'web-03', 'web-05', 'web-07', 'web-10']);
    assert.ok(pages.every((p) => p.length <= 2 && p.every((n) => n.startsWith('web-'))));
    assert.deepEqual(await walk({ maxResults: 500, filter: 'name = db-*' }), [['db-01', 'db-02']]);
    assert.deepEqual(await walk({ maxResults: 3, filter: 'name = nothing-*' }), [[]]);
  });

  it('refuses a pageToken it did not issue with the Compute Engine 400', async () => {
    await assert.rejects(gce.instances.list({ project, zone: ZONE, pageToken: 'bm90LWEtdG9rZW4' }), (e: any) => {
      assert.equal(e.code, 400);
      assert.match(e.message, /Invalid value for field 'pageToken'/);
      return true;
    });
  });

  it('orders by creationTimestamp desc too (newest first), over all pages', async () => {
    const pages = await walk({ maxResults: 5, orderBy: 'creationTimestamp desc' });
    assert.deepEqual(pages.flat().sort(), [...names].sort());
    const all = (await gce.instances.list({ project, zone: ZONE, orderBy: 'creationTimestamp desc' })).data.items!;
    const times = all.map((i) => i.creationTimestamp!);
    assert.deepEqual(times, [...times].sort().reverse());
  });

  it('keeps the next page where it was when instances are created before and after it', async () => {
    const first = (await gce.instances.list({ project, zone: ZONE, maxResults: 4 })).data;
    assert.deepEqual(
      first.items!.map((i) => i.name),
      ['cache-1', 'cache-2', 'db-01', 'db-02'],
    );
    await insert('aa-new');
    await insert('zz-new');
    const second = (await gce.instances.list({ project, zone: ZONE, maxResults: 4, pageToken: first.nextPageToken! }))
      .data;
    assert.deepEqual(
      second.items!.map((i) => i.name),
      ['web-01', 'web-03', 'web-05', 'web-07'],
    );
    const third = (await gce.instances.list({ project, zone: ZONE, maxResults: 4, pageToken: second.nextPageToken! }))
      .data;
    assert.deepEqual(
      third.items!.map((i) => i.name),
      ['web-10', 'zz-new'],
    );
    assert.equal(third.nextPageToken, undefined);
    const fresh = await walk({ maxResults: 4 });
    assert.deepEqual(fresh[0], ['aa-new', 'cache-1', 'cache-2', 'db-01']);
  });

  it('gives over raw HTTP, page by page, exactly the items and shapes of the unpaged list', async () => {
    const whole = await raw({});
    assert.equal(whole.status, 200);
    assert.equal(whole.body.nextPageToken, undefined);
    assert.equal(whole.body.items.length, names.length + 2);
    for (const maxResults of ['3', '5']) {
      const paged = await rawWalk({ maxResults });
      assert.equal(paged.pages, Math.ceil(whole.body.items.length / Number(maxResults)));
      assert.deepEqual(paged.items, whole.body.items);
    }
    // The client library sees the same.
    const viaClient: unknown[] = [];
    let pageToken: string | undefined;
    do {
      const r = (await gce.instances.list({ project, zone: ZONE, maxResults: 4, pageToken })).data;
      viaClient.push(...(r.items ?? []));
      pageToken = r.nextPageToken ?? undefined;
    } while (pageToken);
    assert.deepEqual(viaClient, whole.body.items);
  });

  it('filters the same paged as unpaged, whether CloudStack can narrow the listing or not', async () => {
    // A VM made through CloudStack: named in capitals there, labelled with a capitalised tag.
    const cs = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    const { zone, offering, template } = await basics(cs);
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'Web-From-CS',
    });
    await cs.waitJob(d.body.jobid);
    const tagged = await cs.call('createTags', {
      resourcetype: 'UserVm',
      resourceids: d.body.id,
      'tags[0].key': 'team',
      'tags[0].value': 'front',
    });
    await cs.waitJob(tagged.body.jobid);
    const cases: [string, string[]][] = [
      ['name = web-07', ['web-07']],
      ['name = "web-from-cs"', ['web-from-cs']],
      ['name eq web-from-cs', ['web-from-cs']],
      ['name = web-0*', ['web-01', 'web-03', 'web-05', 'web-07']],
      ['name eq web-0[13]', ['web-01', 'web-03']],
      ['labels.team = front AND name = web-1*', ['web-10']],
      ['labels.team = "front"', ['web-01', 'web-03', 'web-05', 'web-07', 'web-10', 'web-from-cs']],
      ['labels.team = back name = db-*', ['db-01', 'db-02']],
      [
        'labels.team = front OR name = db-01',
        ['db-01', 'web-01', 'web-03', 'web-05', 'web-07', 'web-10', 'web-from-cs'],
      ],
      ['NOT labels.team = front', ['aa-new', 'cache-1', 'cache-2', 'db-01', 'db-02', 'zz-new']],
      ['-name = web-*', ['aa-new', 'cache-1', 'cache-2', 'db-01', 'db-02', 'zz-new']],
      ['(name = web-07) OR (name = cache-1)', ['cache-1', 'web-07']],
      ['labels.team = FRONT', []],
      ['name = WEB-07', []],
    ];
    for (const [filter, want] of cases) {
      const whole = await raw({ filter });
      assert.equal(whole.status, 200, filter);
      assert.deepEqual(
        (whole.body.items ?? []).map((i: { name: string }) => i.name),
        want,
        filter,
      );
      assert.deepEqual((await rawWalk({ filter, maxResults: '2' })).items, whole.body.items ?? [], filter);
    }
    const fromCs = (await raw({ filter: 'name = web-from-cs' })).body.items[0];
    assert.equal(fromCs.labels.team, 'front');
    assert.equal(fromCs.status, 'RUNNING');
  });

  it("refuses a forged or another list's pageToken with Google's 400 invalid", async () => {
    const byTime = (await raw({ maxResults: '2', orderBy: 'creationTimestamp desc' })).body.nextPageToken;
    const byName = (await raw({ maxResults: '2' })).body.nextPageToken;
    assert.ok(byTime && byName);
    const forged = [
      [{ pageToken: 'not a token' }],
      [{ pageToken: Buffer.from('n["web-01"]').toString('base64url') }],
      [{ pageToken: byTime }],
      [{ pageToken: byName, orderBy: 'creationTimestamp desc' }],
    ] as const;
    for (const [q] of forged) {
      const r = await raw({ maxResults: '2', ...q });
      assert.equal(r.status, 400, JSON.stringify(q));
      assert.equal(r.body.error.code, 400);
      assert.equal(r.body.error.errors[0].reason, 'invalid');
      assert.equal(r.body.error.errors[0].domain, 'global');
      assert.equal(r.body.error.message, `Invalid value for field 'pageToken': '${q.pageToken}'.`);
    }
  });
});
