// Writes the generated pages of the docs site (configuration reference, error catalog, coverage tables).
import { writeFileSync } from 'node:fs';
import { generatedPages } from './docs-pages.js';

for (const [path, text] of Object.entries(generatedPages()))
  writeFileSync(new URL(`../docs/${path}`, import.meta.url), text);
