import type { Command } from 'commander';
import { coverageMarkdown, coverageOf, coverageSummary, FRONTS, type Front } from '../coverage.js';

export function registerCoverageCommand(program: Command): void {
  program
    .command('coverage')
    .description('print what each front implements out of its API (the tables the docs publish)')
    .option('--front <front>', `one of ${FRONTS.join(', ')} (default: all)`)
    .option('--missing', 'list only what is not implemented')
    .option('--summary', 'print one line per front')
    .option('--json', 'print the tables as JSON')
    .action((o: { front?: string; missing?: boolean; summary?: boolean; json?: boolean }) => {
      if (o.front && !(FRONTS as readonly string[]).includes(o.front))
        throw new Error(`unknown front ${o.front}; expected one of ${FRONTS.join(', ')}`);
      const fronts = (o.front ? [o.front] : FRONTS) as readonly Front[];
      const tables = fronts.map(coverageOf);
      if (o.json) {
        const out = tables.map((c) => ({
          front: c.front,
          surface: c.surface,
          implemented: c.rows.filter((r) => r.done).length,
          total: c.rows.length,
          rows: c.rows.filter((r) => !o.missing || !r.done),
        }));
        process.stdout.write(JSON.stringify(o.front ? out[0] : out, null, 2) + '\n');
      } else if (o.summary)
        process.stdout.write(tables.map((c) => `${c.front.padEnd(11)} ${coverageSummary(c)}`).join('\n') + '\n');
      else process.stdout.write(tables.map((c) => coverageMarkdown(c, { missingOnly: o.missing })).join('\n'));
    });
}
