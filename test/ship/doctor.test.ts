import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('polystack doctor', () => {
  let dir: string;
  let polystack: TestServer;
  let other: Server;
  let otherPort: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'polystack-doctor-'));
    polystack = await startServer();
    other = createServer((s) => s.end('not http\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherPort = (other.address() as { port: number }).port;
  });
  after(async () => {
    other.close();
    await polystack.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const doctor = async (args: string[]) => {
    const r = await runCli(['doctor', '--json', ...args]);
    return {
      code: r.code,
      report: JSON.parse(r.stdout) as {
        ok: boolean;
        checks: { name: string; status: string; detail: string; optional?: boolean }[];
      },
    };
  };
  const check = (r: Awaited<ReturnType<typeof doctor>>, prefix: string) =>
    r.report.checks.find((c) => c.name.startsWith(prefix))!;

  it('passes on a free port and a writable data dir, creating and migrating the database', async () => {
    const r = await doctor(['--port', '0', '--data-dir', join(dir, 'fresh'), '--no-clients']);
    assert.equal(r.code, 0);
    assert.equal(r.report.ok, true);
    assert.deepEqual(
      r.report.checks.map((c) => c.status),
      ['ok', 'ok', 'ok', 'ok'],
    );
    assert.match(check(r, 'database').detail, /polystack\.db: \d+ migrations applied/);
  });

  it('fails when another program holds the port, and only warns when it is a polystack', async () => {
    const taken = await doctor(['--port', String(otherPort), '--in-memory', '--no-clients']);
    assert.equal(taken.code, 1);
    assert.deepEqual(
      [check(taken, 'port').status, check(taken, 'port').detail],
      ['fail', 'in use by another program; pick one with --port'],
    );
    const ours = await doctor(['--port', new URL(polystack.url).port, '--in-memory', '--no-clients']);
    assert.equal(ours.code, 0);
    assert.equal(check(ours, 'port').status, 'warn');
    assert.match(check(ours, 'port').detail, /^in use by polystack \d+\.\d+\.\d+/);
  });

  it('fails when the data dir cannot be written, and says so for the database too', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await doctor(['--port', '0', '--data-dir', join(dir, 'a-file', 'data'), '--no-clients']);
    assert.equal(r.code, 1);
    assert.equal(check(r, 'data dir').status, 'fail');
    assert.match(check(r, 'data dir').detail, /ENOTDIR/);
    assert.equal(check(r, 'database').status, 'fail');
  });

  it('reports client tools as optional: a missing one never fails the doctor', async () => {
    const r = await doctor(['--port', '0', '--in-memory', '--python', '/nonexistent/python3']);
    assert.equal(r.code, 0);
    const cs = check(r, 'client cs');
    assert.deepEqual([cs.status, cs.optional], ['absent', true]);
    assert.match(cs.detail, /python3-cs/);
  });
});
