import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { generatedPages } from '../../scripts/docs-pages.js';
import { coverageOf } from '../../src/coverage.js';
import { ROUTES } from '../../src/gce/routes.js';
import { ENVIRONMENT, resolveConfig } from '../../src/server/config.js';

it('the generated docs pages (configuration, errors, coverage) match the code (regenerate: node --import tsx scripts/docs.ts)', () => {
  for (const [path, text] of Object.entries(generatedPages()))
    assert.equal(readFileSync(new URL(`../../docs/${path}`, import.meta.url), 'utf8'), text, `docs/${path} is stale`);
});

it('the configuration reference lists exactly the environment variables resolveConfig reads', () => {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, { get: (_t, k) => (typeof k === 'string' && read.add(k), undefined) });
  resolveConfig({}, env);
  assert.deepEqual([...read].sort(), ENVIRONMENT.map((e) => e.name).sort());
});

it('every GCE method the front serves is a real Compute Engine v1 method, and counted once', () => {
  const gce = coverageOf('gce');
  const known = new Set(gce.rows.map((r) => r.name));
  assert.deepEqual(
    ROUTES.map((r) => r.id).filter((id) => !known.has(id)),
    [],
  );
  assert.equal(gce.rows.filter((r) => r.done).length, new Set(ROUTES.map((r) => r.id)).size);
});
