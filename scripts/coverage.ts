// Writes docs/coverage/*.md from the code; test/docs/coverage.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { coverageMarkdown, coverageOf, FRONTS } from '../src/coverage.js';

for (const front of FRONTS) writeFileSync(new URL(`../docs/coverage/${front}.md`, import.meta.url), coverageMarkdown(coverageOf(front)));
