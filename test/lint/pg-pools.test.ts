import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// A pool opened any other way lacks the listeners that keep a dropped connection from crashing the
// process (CI, 2026-12-07: 'terminating connection due to administrator command' as an uncaught exception).
it('opens PostgreSQL pools only through openPool (src/store/pg-pool.ts)', () => {
  const stray = sources(SRC).flatMap((path) => {
    const file = relative(join(SRC, '..'), path);
    if (file === join('src', 'store', 'pg-pool.ts')) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((line, i) => (/\bnew\s+(pg\.)?Pool\s*\(/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
  });
  assert.deepEqual(stray, []);
});
