// The fixed fast subset of the smoke suite that `npm test` runs (test/conformance/marvin-subset.test.ts), and
// its ratchet: the methods that passed when it was last widened, every one of which must keep passing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passing, type ResultRow } from './results.js';
import { REPO, runZone, type MarvinPaths } from './run.js';

export const SUBSET_ZONE = 'advanced';
/**
 * Deploy (with root resize), the VM life cycle, offerings, volumes, templates, networks, accounts, affinity
 * groups. test_snapshots selects nothing under required_hardware=false. At the subset's pace (below) one
 * method fails that passes at Marvin's own: test_vm_life_cycle's test_09_expunge_vm sleeps twice expunge.delay
 * (60 s) and expects the cloud's expunger, which runs on real time, to have run; it is not in the list.
 */
export const SUBSET_FILES = [
  'test_accounts.py',
  'test_affinity_groups.py',
  'test_deploy_vm_root_resize.py',
  'test_disk_offerings.py',
  'test_network.py',
  'test_service_offerings.py',
  'test_templates.py',
  'test_vm_life_cycle.py',
  'test_volumes.py',
];
/**
 * Marvin's sleeps, scaled (python/sitecustomize.py): 180 of test_accounts' 194 s were its 30 s pause after each
 * deploy before it programs SSH over NAT, and the subset took 6 min in 4 lanes (46 s scaled). The ratchet list
 * is written at this pace too; `npm run conformance:marvin` runs at Marvin's own.
 */
export const SUBSET_SLEEP_SCALE = 0.1;
/** Lanes: one polystack and one Marvin each, running beside the rest of `npm test`. */
export const SUBSET_LANES = 3;
/** Seconds each file took at the subset's pace (its own lane, 2 cores): they balance the lanes. */
const MEASURED: Record<string, number> = {
  'test_accounts.py': 30,
  'test_affinity_groups.py': 15,
  'test_deploy_vm_root_resize.py': 6,
  'test_disk_offerings.py': 2,
  'test_network.py': 35,
  'test_service_offerings.py': 5,
  'test_templates.py': 21,
  'test_vm_life_cycle.py': 70,
  'test_volumes.py': 16,
};
export const EXPECTED_PATH = join(REPO, 'test/conformance/marvin-subset.expected.json');

export interface Expected {
  zone: string;
  files: string[];
  pass: string[];
}

export function readExpected(): Expected {
  return JSON.parse(readFileSync(EXPECTED_PATH, 'utf8')) as Expected;
}

export async function runSubset(
  paths: MarvinPaths,
  workdir: string,
  quiet = false,
): Promise<{ rows: ResultRow[]; seconds: number; laneDirs: string[] }> {
  return runZone(paths, SUBSET_ZONE, SUBSET_FILES, {
    lanes: SUBSET_LANES,
    workdir,
    quiet,
    weight: (f) => MEASURED[f] ?? 300,
    sleepScale: SUBSET_SLEEP_SCALE,
  });
}

/** What the ratchet says of a run: listed methods that did not pass, passes that are not listed yet. */
export function compareToExpected(
  rows: ResultRow[],
  expected: string[],
): { regressed: { method: string; status: string; reason: string }[]; unlisted: string[] } {
  const byName = new Map(rows.map((r) => [`${r.module}.${r.test}`, r]));
  const regressed = expected
    .filter((m) => byName.get(m)?.status !== 'PASS')
    .map((m) => {
      const r = byName.get(m);
      return { method: m, status: r?.status ?? 'NOT RUN', reason: r?.reason ?? 'not in results.tsv' };
    });
  const listed = new Set(expected);
  return { regressed, unlisted: passing(rows).filter((m) => !listed.has(m)) };
}

export async function updateSubset(paths: MarvinPaths, workdir: string): Promise<void> {
  const run = await runSubset(paths, workdir);
  const pass = passing(run.rows);
  const doc: Expected = { zone: SUBSET_ZONE, files: SUBSET_FILES, pass };
  writeFileSync(EXPECTED_PATH, JSON.stringify(doc, null, 2) + '\n');
  console.log(
    `conformance: ${pass.length} of ${run.rows.length} subset methods pass (${(run.seconds / 60).toFixed(1)} min); wrote ${EXPECTED_PATH}`,
  );
}
