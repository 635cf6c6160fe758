import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CsClient } from '../helpers/cs-client.js';
import { FrontClient } from '../helpers/fronts.js';
import { startServer, type ServerProcess } from '../helpers/server.js';

/** The value of one sample line of a Prometheus exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('/metrics and request ids', () => {
  let s: ServerProcess;
  let admin: CsClient;
  let fronts: FrontClient;
  const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;
  const metrics = async () => (await fetch(`${s.url}/metrics`, { headers: { authorization: BASIC } })).text();

  before(async () => {
    s = await startServer({
      process: true,
      env: { POLYSTACK_AGENT_DELAY_MS: '0', POLYSTACK_LOG_LEVEL: 'info', POLYSTACK_HANDLER_TIMEOUT_MS: '500' },
    });
    admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    fronts = new FrontClient(s.url, { apiKey: s.apiKey, secretKey: s.secretKey });
  });
  after(() => s.stop());

  it('counts requests by front, operation and status, with latency histograms', async () => {
    const zones = (await admin.call('listZones')).body.zone;
    const offering = (await admin.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (await admin.call('listTemplates', { templatefilter: 'featured' })).body.template.find((t: any) =>
      t.name.startsWith('CentOS'),
    ).id;
    const basic = zones.find((z: any) => z.networktype === 'Basic').id;
    const deployed = await admin.call('deployVirtualMachine', {
      zoneid: basic,
      serviceofferingid: offering,
      templateid: template,
    });
    assert.equal((await admin.waitJob(deployed.body.jobid)).jobstatus, 1);
    await admin.call('deployVirtualMachine', {});
    assert.equal((await fronts.ec2({ Action: 'DescribeRegions' })).status, 200);
    assert.equal((await fronts.gce('GET', 'admin/zones')).status, 200);
    const text = await metrics();
    assert.equal(
      sample(text, 'polystack_http_requests_total', {
        front: 'cloudstack',
        operation: 'deployVirtualMachine',
        status: '200',
      }),
      1,
    );
    assert.equal(
      sample(text, 'polystack_http_requests_total', {
        front: 'cloudstack',
        operation: 'deployVirtualMachine',
        status: '431',
      }),
      1,
    );
    assert.equal(
      sample(text, 'polystack_http_requests_total', { front: 'ec2', operation: 'DescribeRegions', status: '200' }),
      1,
    );
    assert.equal(
      sample(text, 'polystack_http_requests_total', { front: 'gce', operation: 'zones.list', status: '200' }),
      1,
    );
    assert.equal(
      sample(text, 'polystack_http_request_duration_seconds_count', {
        front: 'cloudstack',
        operation: 'deployVirtualMachine',
      }),
      2,
    );
    assert.ok(
      sample(text, 'polystack_http_request_duration_seconds_bucket', {
        front: 'gce',
        operation: 'zones.list',
        le: '+Inf',
      }) === 1,
    );
    // Unknown names are folded into one label value, so a client cannot grow the label set.
    await admin.call('noSuchCommand');
    assert.ok(
      (sample(await metrics(), 'polystack_http_requests_total', {
        front: 'cloudstack',
        operation: 'unknown',
        status: '401',
      }) ?? 0) >= 1,
    );
  });

  it('reports jobs by state, VMs by state and capacity per zone from the database', async () => {
    const text = await metrics();
    assert.ok(sample(text, 'polystack_jobs', { state: 'succeeded' })! >= 1);
    assert.equal(sample(text, 'polystack_jobs', { state: 'pending' }), 0);
    assert.equal(sample(text, 'polystack_vms', { state: 'Running' }), 1);
    const zone = 'Sandbox-simulator-basic';
    assert.equal(sample(text, 'polystack_capacity_used', { zone, type: 'cpu_mhz' }), 500);
    assert.equal(sample(text, 'polystack_capacity_used', { zone, type: 'memory_bytes' }), 512 * 1024 * 1024);
    assert.equal(sample(text, 'polystack_capacity_total', { zone, type: 'cpu_mhz' }), 64000);
    assert.ok(
      sample(text, 'polystack_capacity_total', { zone: 'Sandbox-simulator-advanced', type: 'public_ips' })! > 0,
    );
    assert.ok(sample(text, 'polystack_process_resident_memory_bytes')! > 0);
  });

  it("every answer carries X-Request-Id; a caller's own id is kept and is EC2's requestId", async () => {
    const r = await fetch(`${s.url}/_polystack/health`);
    assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const mine = await fetch(`${s.url}/_polystack/health`, { headers: { 'x-request-id': 'trace-42.a' } });
    assert.equal(mine.headers.get('x-request-id'), 'trace-42.a');
    const hostile = await fetch(`${s.url}/_polystack/health`, { headers: { 'x-request-id': 'a b<script>' } });
    assert.notEqual(hostile.headers.get('x-request-id'), 'a b<script>');
    const ec2 = await fronts.ec2({ Action: 'DescribeRegions' }, { headers: { 'x-request-id': 'ec2-trace-7' } });
    assert.equal(ec2.requestId, 'ec2-trace-7');
    assert.equal(ec2.xml.DescribeRegionsResponse.requestId, 'ec2-trace-7');
  });

  it('logs one JSON line per request with its id, and lines written for it while it ran carry the same id', async () => {
    const fault = await fetch(`${s.url}/_polystack/faults`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('admin:password').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ front: 'cloudstack', operation: 'listZones', effect: 'delay', delayMs: 1000, count: 1 }),
    });
    assert.equal(fault.status, 201);
    const signed = await admin.raw({ command: 'listZones', response: 'json' }, { method: 'POST' });
    assert.equal(signed.status, 534);
    const id = signed.headers.get('x-request-id');
    await new Promise((r) => setTimeout(r, 100));
    const lines = s
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const mine = lines.filter((l) => l.reqId === id);
    // The deadline's warning is written from a timer, long after the handler started: it names its request.
    assert.deepEqual(mine.map((l) => l.msg).sort(), ['request failed', 'request timed out']);
    const access = mine.find((l) => l.msg === 'request failed');
    assert.deepEqual(
      [access.path, access.front, access.operation, access.status],
      ['/client/api', 'cloudstack', 'listZones', 534],
    );
    assert.ok(
      lines.filter((l) => l.path).every((l) => typeof l.reqId === 'string'),
      'every request line has an id',
    );
  });

  it('/metrics needs control credentials, with or without a control token set', async () => {
    const open = await fetch(`${s.url}/metrics`);
    assert.equal(open.status, 401);
    assert.match(open.headers.get('www-authenticate') ?? '', /^Basic /);
    const plain = await fetch(`${s.url}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from('nobody:password').toString('base64')}` },
    });
    assert.equal(plain.status, 401);
    const guarded = await startServer({ env: { POLYSTACK_CONTROL_TOKEN: 'ops-token' } });
    try {
      assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
      assert.equal(
        (await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer not-it' } })).status,
        401,
      );
      const ok = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer ops-token' } });
      assert.equal(ok.status, 200);
      assert.match(ok.headers.get('content-type') ?? '', /^text\/plain/);
    } finally {
      await guarded.stop();
    }
  });
});
