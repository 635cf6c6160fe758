import { Difference, Failure, Skip, Steps, type Suite, type Target } from './scenario.js';

export type Status = 'passed' | 'failed' | 'differed' | 'skipped';

export interface Result {
  front: string;
  id: string;
  title: string;
  status: Status;
  ms: number;
  /** The step that was running when it stopped. */
  step?: string;
  /** The first difference: where, what the API promises, what the endpoint answered. */
  difference?: { where: string; expected: string; actual: string };
  /** An error that is not a difference in the answer (the endpoint could not be reached, ...). */
  error?: string;
  /** What the scenario could not clean up on the endpoint. */
  leftovers?: string[];
}

export interface Report {
  target: string;
  fronts: string[];
  results: Result[];
  totals: Record<Status, number>;
}

async function runOne<F>(suite: Suite<F>, fixture: F, sc: Suite<F>['scenarios'][number]): Promise<Result> {
  const steps = new Steps();
  const started = Date.now();
  const base = { front: suite.front, id: sc.id, title: sc.title };
  let result: Result;
  try {
    await sc.run(fixture, steps);
    result = { ...base, status: 'passed', ms: 0 };
  } catch (e) {
    result = outcome(base, e, steps.current);
  }
  const leftovers = await steps.cleanup();
  if (leftovers.length) result.leftovers = leftovers;
  result.ms = Date.now() - started;
  return result;
}

function outcome(base: Pick<Result, 'front' | 'id' | 'title'>, e: unknown, step: string): Result {
  if (e instanceof Skip) return { ...base, status: 'skipped', ms: 0, step, error: e.message };
  // A call that should have worked and did not is a failure; an answer of the wrong shape is a difference.
  if (e instanceof Difference)
    return {
      ...base,
      status: e instanceof Failure ? 'failed' : 'differed',
      ms: 0,
      step,
      difference: { where: e.where, expected: e.expected, actual: e.actual },
    };
  return { ...base, status: 'failed', ms: 0, step, error: e instanceof Error ? e.message : String(e) };
}

export async function runSuites(target: Target, suites: readonly Suite<any>[], only?: RegExp): Promise<Report> {
  const results: Result[] = [];
  for (const suite of suites) {
    const scenarios = suite.scenarios.filter((s) => !only || only.test(s.id));
    let fixture: unknown;
    try {
      fixture = await suite.prepare(target);
    } catch (e) {
      for (const sc of scenarios)
        results.push(outcome({ front: suite.front, id: sc.id, title: sc.title }, e, 'prepare'));
      continue;
    }
    for (const sc of scenarios) results.push(await runOne(suite, fixture, sc));
  }
  const totals = { passed: 0, failed: 0, differed: 0, skipped: 0 };
  for (const r of results) totals[r.status]++;
  return { target: target.url, fronts: suites.map((s) => s.front), results, totals };
}

/** The report as a terminal table: one line per scenario, the first difference under each failure. */
export function formatReport(r: Report): string {
  const width = Math.max(...r.results.map((x) => x.id.length), 8);
  const lines = [`conformance of ${r.target} (${r.fronts.join(', ')})`, ''];
  lines.push(`${'front'.padEnd(10)} ${'scenario'.padEnd(width)} ${'result'.padEnd(8)} ms`);
  for (const x of r.results) {
    lines.push(`${x.front.padEnd(10)} ${x.id.padEnd(width)} ${x.status.padEnd(8)} ${x.ms}`);
    if (x.difference)
      lines.push(
        `    at ${x.step}: ${x.difference.where}: expected ${x.difference.expected}, got ${x.difference.actual}`,
      );
    else if (x.error) lines.push(`    at ${x.step}: ${x.error}`);
    for (const l of x.leftovers ?? []) lines.push(`    left behind: ${l}`);
  }
  const t = r.totals;
  lines.push('', `${t.passed} passed, ${t.failed} failed, ${t.differed} differed, ${t.skipped} skipped`);
  return lines.join('\n') + '\n';
}
