import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { registerConsole } from '../../src/server/console.routes.js';

describe('the web console routes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-console-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('say how to build the console when it is not built, and serve it once it is, without restarting', async () => {
    const app = Fastify();
    registerConsole(app, dir);
    app.get('/client/api', async () => 'the api');
    assert.equal((await app.inject('/client/')).statusCode, 503);
    assert.match((await app.inject('/client/')).body, /npm run build/);

    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="/client/assets/app-1.js"></script>');
    writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
    const index = await app.inject('/client/');
    assert.equal(index.statusCode, 200);
    assert.equal(index.headers['cache-control'], 'no-cache');
    const js = await app.inject('/client/assets/app-1.js');
    assert.match(String(js.headers['content-type']), /text\/javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);
    // A typed route gets the app; a missing file, traversal and the API's own path do not.
    assert.match((await app.inject('/client/instances')).body, /<!doctype html>/);
    assert.equal((await app.inject('/client/assets/missing.js')).statusCode, 404);
    assert.equal((await app.inject('/client/assets/..%2F..%2Fetc%2Fpasswd')).statusCode, 404);
    assert.equal((await app.inject('/client/api')).body, 'the api');
    assert.equal((await app.inject('/client/api/x')).statusCode, 404);
    assert.equal((await app.inject('/client')).headers['location'], '/client/');
    await app.close();
  });
});

describe('GET / from a browser', () => {
  it('leads to the console; EC2 clients at / still get the EC2 front', { timeout: 60_000 }, async () => {
    const { startServer } = await import('../helpers/server.js');
    const s = await startServer();
    try {
      const html = await fetch(`${s.url}/`, {
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
        redirect: 'manual',
      });
      assert.equal(html.status, 302);
      assert.equal(html.headers.get('location'), '/client/');
      const sdk = await fetch(`${s.url}/`);
      assert.equal(sdk.status, 400);
      assert.match(await sdk.text(), /<Code>MissingAction<\/Code>/);
      const query = await fetch(`${s.url}/?Action=DescribeRegions`, {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      assert.notEqual(query.status, 302, 'a request with parameters is an API call, whatever it accepts');
    } finally {
      await s.stop();
    }
  });
});
