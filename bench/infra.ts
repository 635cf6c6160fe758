// `npm run bench:infra`: only sections (j) and (k) of BENCHMARKS.md, measured and written in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { infraFigures, infraSection } from './lib/infra.js';

const OUT = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const section = infraSection(await infraFigures(process.argv.includes('--quick')));
const md = readFileSync(OUT, 'utf8');
const start = md.indexOf('## (j)');
const end = md.indexOf('## Reproduce');
writeFileSync(
  OUT,
  start >= 0 ? md.slice(0, start) + section + '\n' + md.slice(end) : md.slice(0, end) + section + '\n' + md.slice(end),
);
process.stdout.write(section);
