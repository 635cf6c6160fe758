import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on the loopback interface. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/**
 * moto's server (`python3 -m moto.server`) with the machine's python3, or why it is not there
 * (the rows measured against it are then skipped, with that reason in the report).
 */
export async function startMoto(): Promise<Moto | { missing: string }> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('python3', ['-m', 'moto.server', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return { missing: `python3 did not start: ${(e as Error).message}` };
  }
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<string>((r) =>
    child.once('exit', (code) => r(`python3 -m moto.server exited ${code}: ${err.trim().split('\n').pop() ?? ''}`)),
  );
  child.once('error', () => {});
  const url = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 600; i++) {
      try {
        if ((await fetch(`${url}/moto-api/`)).ok) return undefined;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return 'moto server did not answer within 60 s';
  })();
  const why = await Promise.race([ready, exited]);
  if (why) {
    child.kill('SIGTERM');
    return { missing: why };
  }
  return {
    url,
    stop: () =>
      new Promise<void>((r) =>
        child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')),
      ),
  };
}
