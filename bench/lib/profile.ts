import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

/**
 * Runs `f`, and with PROFILE=<file> writes a CPU profile of just that run (the profile scripts' timed
 * loop, without their start-up and seeding, which `node --cpu-prof` would mix in).
 */
export async function profiled<T>(f: () => Promise<T>): Promise<T> {
  const file = process.env.PROFILE;
  // A hook (e.g. a statement counter loaded with --import) can tell the timed loop from the set-up by this flag.
  (globalThis as { profiling?: boolean }).profiling = true;
  if (!file) return f().finally(() => ((globalThis as { profiling?: boolean }).profiling = false));
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await s.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    s.disconnect();
  }
}
