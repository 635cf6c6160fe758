import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { startServer } from '../helpers/server.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));

describe('polystack serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-serve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers health with 200 and JSON', async () => {
    const s = await startServer();
    try {
      const r = await fetch(`${s.url}/_polystack/health`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /application\/json/);
      assert.equal((await r.json()).status, 'ok');
    } finally {
      await s.stop();
    }
  });

  it('keeps generated admin keys across restarts and prints them with `polystack env`', async () => {
    const env = { ...process.env, POLYSTACK_ADMIN_API_KEY: '', POLYSTACK_ADMIN_SECRET_KEY: '' };
    const first = await run(process.execPath, [BIN, 'env', '--data-dir', dir, '--port', '9999'], { env });
    const second = await run(process.execPath, [BIN, 'env', '--data-dir', dir, '--port', '9999'], { env });
    assert.equal(first.stdout, second.stdout);
    assert.match(first.stdout, /^export CLOUDSTACK_ENDPOINT=http:\/\/127\.0\.0\.1:9999\/client\/api$/m);
    assert.match(first.stdout, /^export CLOUDSTACK_KEY=[A-Za-z0-9_-]{86}$/m);
    assert.match(first.stdout, /^export CLOUDSTACK_SECRET=[A-Za-z0-9_-]{86}$/m);
  });

  it('exits 0 on SIGTERM with the database closed, and the data is there at the next start', async () => {
    const s = await startServer({ args: ['--data-dir', dir] });
    const login = async (url: string) =>
      fetch(`${url}/client/api`, {
        method: 'POST',
        body: new URLSearchParams({ command: 'login', username: 'admin', password: 'password', response: 'json' }),
      });
    assert.equal((await login(s.url)).status, 200);
    assert.equal(await s.stop(), 0);
    const again = await startServer({ args: ['--data-dir', dir] });
    try {
      assert.equal((await login(again.url)).status, 200);
    } finally {
      await again.stop();
    }
  });
});
