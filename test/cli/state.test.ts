import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startServer } from '../helpers/server.js';

describe('polystack reset and polystack state save|load', () => {
  it('drive the control endpoints from the command line', async () => {
    const run = promisify(execFile);
    const bin = new URL('../../bin/polystack.js', import.meta.url).pathname;
    const s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0', POLYSTACK_CONTROL_TOKEN: 'cli-token' } });
    const dir = mkdtempSync(join(tmpdir(), 'polystack-state-'));
    try {
      const args = ['--url', s.url, '--control-token', 'cli-token'];
      const file = join(dir, 'cloud.json');
      const saved = await run(process.execPath, [bin, 'state', 'save', file, ...args]);
      assert.match(saved.stdout, /^saved \d+ tables/);
      assert.ok(existsSync(file));
      assert.match((await run(process.execPath, [bin, 'reset', ...args])).stdout, /^reset cloud in \d+ ms/);
      assert.match((await run(process.execPath, [bin, 'state', 'load', file, ...args])).stdout, /^loaded \d+ tables/);
      await assert.rejects(run(process.execPath, [bin, 'reset', '--url', s.url, '--password', 'wrong']), /401/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await s.stop();
    }
  });
});
