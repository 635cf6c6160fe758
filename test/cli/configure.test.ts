import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeAvailabilityZonesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { BIN, startProcess, stopped } from '../helpers/process.js';

function run(args: string[], input: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(input);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

/** `polystack configure` writes a profile that both gateways start from, as gstack-configure and ec2stack-configure did. */
describe('polystack configure and gateway profiles', () => {
  let cloud: TestServer;
  let dir: string;
  let file: string;
  const children: ChildProcess[] = [];
  before(async () => {
    cloud = await startServer();
    dir = mkdtempSync(join(tmpdir(), 'configure-'));
    file = join(dir, 'config.json');
  });
  after(async () => {
    await Promise.all(children.map(stopped));
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks each question, takes piped answers, re-asks a bad port, and writes a private profile file', async () => {
    const answers = [cloud.endpoint, cloud.apiKey, cloud.secretKey, '', 'eighty', '0', '0', join(dir, 'gw'), ''].join(
      '\n',
    );
    const r = await run(['configure', '--profile', 'lab', '--config', file], `${answers}\n`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /CloudStack API endpoint \[http:\/\/localhost:8080\/client\/api\]: /);
    assert.match(r.out, /not a port number: eighty/);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(written.profiles.lab, {
      cloudstack: cloud.endpoint,
      adminKey: cloud.apiKey,
      adminSecret: cloud.secretKey,
      host: '127.0.0.1',
      ec2Port: 0,
      gcePort: 0,
      dataDir: join(dir, 'gw'),
      linkBase: 'https://www.googleapis.com/compute/v1/',
    });
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the file holds a secret');
    // Running it again offers the saved answers as defaults: empty lines keep them.
    const again = await run(['configure', '--profile', 'lab', '--config', file], '\n'.repeat(9));
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, new RegExp(`CloudStack API endpoint \\[${cloud.endpoint.replace(/[/.]/g, '\\$&')}\\]`));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).profiles.lab, written.profiles.lab);
  });

  it('ec2-gateway and gce-gateway start from the profile alone and reach the cloud it names', async () => {
    const ec2gw = await startProcess(['ec2-gateway', '--profile', 'lab', '--config', file, '--in-memory']);
    children.push(ec2gw.child);
    const ec2 = new EC2Client({
      endpoint: ec2gw.url,
      region: 'us-east-1',
      credentials: { accessKeyId: cloud.apiKey, secretAccessKey: cloud.secretKey },
    });
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!.map((z) => z.ZoneName);
    assert.deepEqual(zones.sort(), ['Sandbox-simulator-advanced', 'Sandbox-simulator-basic']);
    ec2.destroy();

    const gcegw = await startProcess(['gce-gateway', '--profile', 'lab', '--config', file, '--in-memory']);
    children.push(gcegw.child);
    const token = await (
      await fetch(`${gcegw.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: cloud.apiKey,
          client_secret: cloud.secretKey,
        }),
      })
    ).json();
    const list = await (
      await fetch(`${gcegw.url}/compute/v1/projects/admin/zones`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      })
    ).json();
    assert.deepEqual(
      list.items.map((z: any) => z.name),
      ['sandbox-simulator-advanced', 'sandbox-simulator-basic'],
    );
    assert.match(list.items[0].selfLink, /^https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/admin\/zones\//);
  });

  it('a profile that does not exist, or no endpoint at all, is a clear error', async () => {
    const missing = await run(['gce-gateway', '--profile', 'nope', '--config', file], '');
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /no profile 'nope' in .*config\.json \(run: polystack configure --profile nope\)/);
    const none = await run(['ec2-gateway', '--config', join(dir, 'absent.json')], '');
    assert.notEqual(none.code, 0);
    assert.match(none.err, /no CloudStack endpoint: pass --cloudstack URL or write a profile/);
  });
});
