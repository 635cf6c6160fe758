import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Code samples in the docs. Every fenced block in a language that runs must say what CI does with
 * it in an HTML comment right above it (invisible on the site):
 *   <!-- run -->             run it (sh/bash with bash -euo pipefail, python with /usr/bin/python3, js as an ES module)
 *   <!-- file: NAME -->      write it to NAME in the page's working folder, for a later sample to use
 *   <!-- not run: REASON --> say why CI cannot run it
 */
export interface Sample {
  page: string;
  line: number;
  lang: string;
  code: string;
  mark: { kind: 'run' } | { kind: 'file'; name: string } | { kind: 'not run'; reason: string } | { kind: 'none' };
}

export const CODE_LANGS = [
  'sh',
  'bash',
  'shell',
  'python',
  'py',
  'js',
  'javascript',
  'mjs',
  'ts',
  'typescript',
  'yaml',
  'yml',
  'hcl',
  'ini',
  'dockerfile',
];
// Generated pages hold no samples; vitepress' own folder is not content.
const SKIP = /^(\.vitepress|coverage|reference)\//;

export function pages(docs: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.md') && !SKIP.test(relative(docs, p))) out.push(relative(docs, p));
    }
  };
  walk(docs);
  return out.sort();
}

export function samples(docs: string, page: string): Sample[] {
  const lines = readFileSync(join(docs, page), 'utf8').split('\n');
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const prev =
      lines
        .slice(0, i)
        .reverse()
        .find((l) => l.trim() !== '') ?? '';
    const m = /^<!--\s*(run|file:\s*(\S+)|not run:\s*(.+?))\s*-->$/.exec(prev.trim());
    const mark: Sample['mark'] = !m
      ? { kind: 'none' }
      : m[1] === 'run'
        ? { kind: 'run' }
        : m[2]
          ? { kind: 'file', name: m[2] }
          : { kind: 'not run', reason: m[3]! };
    out.push({ page, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n') + '\n', mark });
    i = end;
  }
  return out;
}
