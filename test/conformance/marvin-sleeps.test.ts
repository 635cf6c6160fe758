// The Marvin subset's pace (scripts/conformance/python/sitecustomize.py): with POLYSTACK_MARVIN_SLEEP_SCALE set,
// every time.sleep of a Python process shrinks by that factor; without it Marvin sleeps as written; and the
// sitecustomize it hides still runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const HOOKS = fileURLToPath(new URL('../../scripts/conformance/python', import.meta.url));
const PYTHON = '/usr/bin/python3'; // the interpreter ../shared/marvin/run.sh runs Marvin with

/** Runs `code` with the hooks first on PYTHONPATH (then `more`), and returns what it printed. */
function python(code: string, env: Record<string, string> = {}, more: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', code], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', PYTHONPATH: [HOOKS, ...more].join(':'), ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Each sleep's seconds, as the hook passes them on (the real sleep swapped for a recorder).
const RECORD =
  'import sitecustomize, time; asked = []; sitecustomize._sleep = asked.append; time.sleep(30); time.sleep(1); print(asked)';

describe("Marvin's sleeps in the test suite's subset", () => {
  const dir = mkdtempSync(join(tmpdir(), 'marvin-sleeps-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shrinks every sleep by POLYSTACK_MARVIN_SLEEP_SCALE', () => {
    assert.equal(python(RECORD, { POLYSTACK_MARVIN_SLEEP_SCALE: '0.1' }), '[3.0, 0.1]');
  });

  it('leaves time.sleep alone without it, or with a scale that is not below 1', () => {
    assert.equal(python('import time; print(time.sleep.__module__)'), 'time');
    assert.equal(python('import time; print(time.sleep.__module__)', { POLYSTACK_MARVIN_SLEEP_SCALE: '1' }), 'time');
  });

  it('runs the sitecustomize it hides', () => {
    writeFileSync(join(dir, 'sitecustomize.py'), 'import builtins\nbuiltins.CHAINED = "yes"\n');
    assert.equal(python('print(CHAINED)', { POLYSTACK_MARVIN_SLEEP_SCALE: '0.5' }, [dir]), 'yes');
  });
});
