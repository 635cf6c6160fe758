import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { coverageMarkdown, coverageOf, FRONTS } from '../../src/coverage.js';
import { ROUTES } from '../../src/gce/routes.js';

it('the coverage tables in docs/coverage match the code (regenerate: node --import tsx scripts/coverage.ts)', () => {
  for (const front of FRONTS) assert.equal(readFileSync(new URL(`../../docs/coverage/${front}.md`, import.meta.url), 'utf8'), coverageMarkdown(coverageOf(front)), front);
});

it('every GCE method the front serves is a real Compute Engine v1 method', () => {
  const known = new Set(coverageOf('gce').rows.map((r) => r.name));
  assert.deepEqual(ROUTES.map((r) => r.id).filter((id) => !known.has(id)), []);
  assert.equal(coverageOf('gce').rows.filter((r) => r.done).length, new Set(ROUTES.map((r) => r.id)).size);
});
