// `npm start`: build only when a source is newer than what was built, say so while it builds, then serve.
// Arguments after `npm start --` go to `polystack serve`.
import { spawn, spawnSync } from 'node:child_process';
import { buildReason } from './build-state.mjs';

const why = buildReason('.');
if (why) {
  process.stderr.write(
    `polystack: building (${why}): type-check, server bundle, web console; about a minute the first time…\n`,
  );
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  process.stderr.write(`polystack: built in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
const serve = spawn(process.execPath, ['bin/polystack.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
// A signal sent to npm start alone (a supervisor's SIGTERM) reaches the server, which shuts down cleanly.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => serve.kill(sig));
serve.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
