import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gceWorld, instanceBody, waitOp, ZONE, type GceWorld } from './inprocess.js';

/** List semantics (filter in both syntaxes, orderBy, paging, aggregatedList), requestId replays and the discovery document. */
describe('GCE front: lists, requestId, discovery', () => {
  let g: GceWorld;
  const at = `admin/zones/${ZONE}/instances`;
  const names = (r: { body: any }) => (r.body.items ?? []).map((i: any) => i.name);
  before(async () => {
    g = await gceWorld();
    for (const [name, env] of [
      ['alpha', 'dev'],
      ['beta', 'prod'],
      ['gamma', 'prod'],
    ] as const) {
      await waitOp(g, (await g.call('POST', at, instanceBody(name, { labels: { env } }))).body);
    }
  });
  after(() => g.close());

  it('filters with the legacy regex syntax and with AIP-160 expressions', async () => {
    const q = async (filter: string) => names(await g.call('GET', `${at}?filter=${encodeURIComponent(filter)}`));
    assert.deepEqual(await q('name eq a.*'), ['alpha']);
    assert.deepEqual(await q('name ne a.*'), ['beta', 'gamma']);
    assert.deepEqual(await q('(name eq .*a)(labels.env eq prod)'), ['beta', 'gamma']);
    assert.deepEqual(await q('labels.env = "prod" AND name != beta'), ['gamma']);
    assert.deepEqual(await q('name = alpha OR name = gamma'), ['alpha', 'gamma']);
    assert.deepEqual(await q('name = g*'), ['gamma']);
    assert.deepEqual(await q('labels.env:*'), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(await q('NOT status = RUNNING'), []);
  });

  it('orders and pages with maxResults and pageToken', async () => {
    const first = await g.call('GET', `${at}?maxResults=2&orderBy=${encodeURIComponent('name desc')}`);
    assert.deepEqual(names(first), ['gamma', 'beta']);
    assert.ok(first.body.nextPageToken);
    const second = await g.call(
      'GET',
      `${at}?maxResults=2&orderBy=${encodeURIComponent('name desc')}&pageToken=${first.body.nextPageToken}`,
    );
    assert.deepEqual(names(second), ['alpha']);
    assert.equal(second.body.nextPageToken, undefined);
    const agg = await g.call('GET', 'admin/aggregated/instances?maxResults=2');
    assert.deepEqual(
      agg.body.items[`zones/${ZONE}`].instances.map((i: any) => i.name),
      ['alpha', 'beta'],
    );
    assert.equal(agg.body.items['zones/sandbox-simulator-advanced'].warning.code, 'NO_RESULTS_ON_PAGE');
  });

  it('answers a repeated requestId with the first Operation and creates one instance', async () => {
    const a = await g.call('POST', `${at}?requestId=7f3c1c7e-0000-4000-8000-000000000001`, instanceBody('delta'));
    const b = await g.call('POST', `${at}?requestId=7f3c1c7e-0000-4000-8000-000000000001`, instanceBody('delta'));
    assert.equal(a.body.name, b.body.name);
    await waitOp(g, a.body);
    assert.deepEqual(names(await g.call('GET', `${at}?filter=${encodeURIComponent('name = delta')}`)), ['delta']);
    const ops = await g.call(
      'GET',
      `admin/zones/${ZONE}/operations?filter=${encodeURIComponent('operationType = insert')}`,
    );
    assert.equal(ops.body.items.length, 4);
  });

  it('gets an instance by its numeric id too, and serves the machine type and disk it points at', async () => {
    const vm = (await g.call('GET', `${at}/alpha`)).body;
    assert.equal((await g.call('GET', `${at}/${vm.id}`)).body.name, 'alpha');
    const mt = await g.call('GET', vm.machineType.replace('https://www.googleapis.com/compute/v1/projects/', ''));
    assert.equal(mt.body.name, 'small-instance');
    const disk = await g.call('GET', vm.disks[0].source.replace('https://www.googleapis.com/compute/v1/projects/', ''));
    assert.deepEqual([disk.body.name, disk.body.users], ['alpha', [vm.selfLink]]);
  });

  it('creates an instance with a data disk of a Google disk type, shown on the instance and as a disk', async () => {
    const body = instanceBody('with-data');
    body.disks.push({
      boot: false,
      initializeParams: { diskType: `zones/${ZONE}/diskTypes/pd-ssd`, diskSizeGb: '20' },
    } as never);
    await waitOp(g, (await g.call('POST', at, body)).body);
    const vm = (await g.call('GET', `${at}/with-data`)).body;
    assert.deepEqual(
      vm.disks.map((d: any) => [d.boot, d.diskSizeGb]),
      [
        [true, '2'],
        [false, '20'],
      ],
    );
    const disks = (await g.call('GET', `admin/zones/${ZONE}/disks?filter=${encodeURIComponent('sizeGb = 20')}`)).body
      .items;
    assert.equal(disks.length, 1);
    assert.deepEqual(disks[0].users, [vm.selfLink]);
  });

  it('serves a discovery document that describes every route, with every $ref defined', async () => {
    const r = await g.app.inject({
      method: 'GET',
      url: '/discovery/v1/apis/compute/v1/rest',
      headers: { host: 'example.test:8080' },
    });
    const doc = r.json();
    assert.equal(doc.rootUrl, 'http://example.test:8080/');
    assert.equal(doc.resources.instances.methods.insert.path, 'projects/{project}/zones/{zone}/instances');
    assert.deepEqual(doc.resources.instances.methods.get.parameterOrder, ['project', 'zone', 'instance']);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"(\w+)"/g)].map((m) => m[1]!);
    for (const ref of new Set(refs)) assert.ok(doc.schemas[ref], `schema ${ref} is defined`);
  });
});
