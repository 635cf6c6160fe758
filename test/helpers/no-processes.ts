// Loaded first by every fast-tier shard (scripts/test-run.ts): a fast test that starts a process
// fails at once with what to do about it, instead of making the tier slow. test/tiers.ts puts files
// that start processes in the client tier; this catches the ones it cannot see (a helper that spawns).
import { createRequire, syncBuiltinESMExports } from 'node:module';

const cp = createRequire(import.meta.url)('node:child_process') as Record<string, unknown>;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  cp[name] = () => {
    throw new Error(
      `a fast-tier test called child_process.${name}: the fast tier runs in one process; make the file a client-tier one (test/tiers.ts)`,
    );
  };
}
syncBuiltinESMExports();
