import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
// Reads the results.tsv that ../shared/marvin/run.sh (summarize.py) writes: one line per selected test
// method with its status and one-line reason, and counts them the way issue 14's table does.

export type Status = 'PASS' | 'FAIL' | 'ERROR' | 'SKIP';

export interface ResultRow {
  module: string; // test file without .py
  test: string; // Class.method (or "(module)" when nothing could be selected)
  status: Status;
  cause: string; // summarize.py's rough class: a (command missing), b (answer differs), c (DB/ssh), d (harness)
  gap: string;
  reason: string;
  /** Every error and failure message the xunit file holds for the method, whole (results.tsv cuts its reason;
   *  a method whose body and tearDown both fail has two). */
  failures?: string[];
}

const STATUSES = new Set<string>(['PASS', 'FAIL', 'ERROR', 'SKIP']);

export function parseResultsTsv(text: string): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    if (!line.trim()) continue;
    const [module, test, status, cause = '', gap = '', ...rest] = line.split('\t');
    if (!STATUSES.has(status)) throw new Error(`results.tsv: unknown status ${JSON.stringify(status)} in: ${line}`);
    rows.push({ module, test, status: status as Status, cause, gap, reason: rest.join(' ') });
  }
  return rows;
}

/** The rows of one lane's results dir, each with its whole failure messages from `<module>.xml`. */
export function readLaneRows(resultsDir: string): ResultRow[] {
  const rows = parseResultsTsv(readFileSync(join(resultsDir, 'results.tsv'), 'utf8'));
  const byModule = new Map<string, Map<string, string[]>>();
  for (const r of rows) {
    if (r.status === 'PASS' || r.status === 'SKIP') continue;
    if (!byModule.has(r.module)) byModule.set(r.module, xunitFailures(join(resultsDir, `${r.module}.xml`)));
    const found = byModule.get(r.module)!.get(r.test.split('.').pop()!);
    if (found) r.failures = found;
  }
  return rows;
}

/** Method name → its error and failure messages, from a nose xunit file (none when it is missing or unreadable). */
export function xunitFailures(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(file)) return out;
  let doc: unknown;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testcase' || name === 'error' || name === 'failure',
    }).parse(readFileSync(file, 'utf8'));
  } catch {
    return out;
  }
  type Case = { name?: string; error?: { message?: string }[]; failure?: { message?: string }[] };
  const cases = (doc as { testsuite?: { testcase?: Case[] } }).testsuite?.testcase ?? [];
  for (const c of cases) {
    const messages = [...(c.error ?? []), ...(c.failure ?? [])].map((e) => String(e.message ?? ''));
    if (c.name && messages.length) out.set(c.name, [...(out.get(c.name) ?? []), ...messages]);
  }
  return out;
}

/** Lanes run disjoint file lists, so merging is concatenation in file order. */
export function mergeRows(lanes: ResultRow[][]): ResultRow[] {
  return lanes.flat().sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
}

export interface Counts {
  selected: number;
  PASS: number;
  FAIL: number;
  ERROR: number;
  SKIP: number;
}

export function countRows(rows: ResultRow[]): Counts {
  const c: Counts = { selected: rows.length, PASS: 0, FAIL: 0, ERROR: 0, SKIP: 0 };
  for (const r of rows) c[r.status]++;
  return c;
}

/** `Class.method` names of the methods that passed. */
export function passing(rows: ResultRow[]): string[] {
  return rows
    .filter((r) => r.status === 'PASS')
    .map((r) => `${r.module}.${r.test}`)
    .sort();
}
