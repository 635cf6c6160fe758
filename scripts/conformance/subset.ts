// The fixed fast subset of the smoke suite that `npm test` runs (test/conformance/marvin-subset.test.ts), and
// its ratchet: the methods that passed when it was last widened, every one of which must keep passing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passing, type ResultRow } from './results.js';
import { REPO, runZone, type MarvinPaths } from './run.js';

export const SUBSET_ZONE = 'advanced';
/** Deploy (with root resize), offerings, volumes, networks, accounts, affinity groups: the files of those topics
 *  that run in minutes (their own times, on 2 cores under a load of 20: 14 s to 307 s, 20 min in all; 8 min in
 *  3-4 lanes). Left out for their time today: test_vm_life_cycle (over 14 min) and test_templates (10 min),
 *  whose setUpClass VMs each wait 150 s in Marvin's ssh-over-NAT retries while associateIpAddress without a
 *  network id is refused; test_snapshots selects nothing under required_hardware=false. */
export const SUBSET_FILES = [
  'test_accounts.py',
  'test_affinity_groups.py',
  'test_deploy_vm_root_resize.py',
  'test_disk_offerings.py',
  'test_network.py',
  'test_service_offerings.py',
  'test_volumes.py',
];
/** Marvin sleeps 30 s after each VM it deploys: the time is waiting, not CPU, so lanes pay even on 2 cores. */
export const SUBSET_LANES = 4;
/** Seconds each file took (4 lanes, 2 cores under a load near 20): they balance the lanes. */
const MEASURED: Record<string, number> = {
  'test_accounts.py': 295,
  'test_affinity_groups.py': 149,
  'test_deploy_vm_root_resize.py': 54,
  'test_disk_offerings.py': 16,
  'test_network.py': 244,
  'test_service_offerings.py': 167,
  'test_volumes.py': 270,
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
