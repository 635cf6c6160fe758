import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** A data directory another live polystack holds. */
export class DataDirInUse extends Error {}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as { code?: string }).code === 'EPERM';
  }
};

/**
 * Takes the data directory for this process: `polystack.lock` holds the owner's pid. Two servers
 * on one SQLite file would each think they run the cloud's jobs (the second declares the first
 * Down); several nodes share a cloud only through PostgreSQL. A lock left by a process that is
 * gone (kill -9, a crash, a container's earlier life under the same pid) is taken over.
 * Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'polystack.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
        throw new DataDirInUse(
          `the data directory ${dir} is in use by another polystack (pid ${pid}): stop it first, or start this one with another --data-dir, or --in-memory; several nodes share one cloud through --database postgres://…`,
        );
      rmSync(file, { force: true });
    }
  }
  throw new DataDirInUse(`could not take ${file}: another polystack is starting on ${dir} at the same moment`);
}
