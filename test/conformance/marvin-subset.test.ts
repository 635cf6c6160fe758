// A fixed fast subset of CloudStack 4.18.2's own smoke tests (Marvin, advanced zone) against this build:
// every method listed in marvin-subset.expected.json (those that passed when it was last widened) must
// still pass. Widen the list with `npm run conformance:marvin:update-subset`. The full run is
// `npm run conformance:marvin` (CONFORMANCE.md).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildIfNeeded, marvinMissing, marvinPaths } from '../../scripts/conformance/run.js';
import {
  compareToExpected,
  readExpected,
  runSubset,
  SUBSET_FILES,
  SUBSET_ZONE,
} from '../../scripts/conformance/subset.js';

const paths = marvinPaths();
// CI clones the repo beside shared/; without the CloudStack sources there is nothing to run.
const missing = marvinMissing(paths);

describe('Marvin smoke subset (CloudStack 4.18.2, advanced zone)', () => {
  it(
    'every method that passed when the list was last widened still passes',
    { skip: missing, timeout: 20 * 60_000 },
    async () => {
      const expected = readExpected();
      assert.deepEqual(
        [expected.zone, expected.files],
        [SUBSET_ZONE, SUBSET_FILES],
        'marvin-subset.expected.json is for another subset: run npm run conformance:marvin:update-subset',
      );
      buildIfNeeded(); // run.sh starts dist/
      const workdir = mkdtempSync(join(tmpdir(), 'marvin-subset-'));
      const run = await runSubset(paths, workdir, true);
      const { regressed, unlisted } = compareToExpected(run.rows, expected.pass);
      const pass = run.rows.filter((r) => r.status === 'PASS').length;
      console.log(
        `marvin subset: ${pass} of ${run.rows.length} methods pass, ${expected.pass.length} required, ${(run.seconds / 60).toFixed(1)} min`,
      );
      if (unlisted.length)
        console.log(
          `marvin subset: these pass but are not listed yet (npm run conformance:marvin:update-subset):\n  ${unlisted.join('\n  ')}`,
        );
      assert.deepEqual(
        regressed,
        [],
        `listed Marvin methods no longer pass (logs in ${workdir}):\n${regressed.map((r) => `  ${r.method}: ${r.status} ${r.reason}`).join('\n')}`,
      );
      rmSync(workdir, { recursive: true, force: true }); // kept for its logs when the test fails
    },
  );
});
