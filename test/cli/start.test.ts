// `npm start` builds only when dist/ is older than a source, and then serves.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startReady } from '../helpers/cli.js';
// @ts-expect-error: a plain .mjs script, without types
import { buildReason } from '../../scripts/build-state.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'polystack-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const touch = (f: string, t: number) => {
  mkdirSync(join(dir, f, '..'), { recursive: true });
  writeFileSync(join(dir, f), '');
  utimesSync(join(dir, f), t, t);
};

it('a build is needed when there is none, not when dist/ is newer than the sources, and again after a source changes', () => {
  touch('src/cli/main.ts', 1000);
  touch('web/src/main.tsx', 1000);
  assert.equal(buildReason(dir), 'no build yet');
  touch('dist/polystack.mjs', 2000);
  touch('dist/cloud-image.db', 2000);
  assert.equal(buildReason(dir), 'no build yet', 'the web console is part of the build');
  touch('dist/web/index.html', 2000);
  assert.equal(buildReason(dir), undefined);
  touch('web/src/main.tsx', 3000);
  assert.equal(buildReason(dir), 'sources changed since the last build');
});

// npm test builds before the tests; run alone after an edit, this needs `npm run build` first.
const stale: string | undefined = buildReason(ROOT);
it(
  'npm start on a fresh build serves at once, saying nothing of a build',
  { timeout: 60_000, skip: stale && `dist/ is stale (${stale})` },
  async () => {
    const s = await startReady(['scripts/start.mjs', '--port', '0', '--in-memory', '--quiet'], {
      cwd: ROOT,
      command: [process.execPath],
    });
    try {
      assert.match(s.output(), /^polystack ready on http:\/\/\S+\n$/);
    } finally {
      await s.stop();
    }
  },
);
