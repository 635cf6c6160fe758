import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  bytes: number;
}

/** Closed-loop load: `connections` keep-alive clients issue GETs back to back for `seconds`. */
export async function load(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const lat: number[] = [];
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      http
        .get(url, { agent, headers }, (res) => {
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            lat.push(performance.now() - t0);
            resolve();
          });
        })
        .on('error', () => {
          errors++;
          resolve();
        });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const took = (performance.now() - started) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0;
  return {
    requests: lat.length,
    errors,
    seconds: took,
    perSecond: lat.length / took,
    p50ms: q(0.5),
    p99ms: q(0.99),
    bytes,
  };
}

/** Starts lib/bare-server.ts in its own process with the given body; resolves with its URL. */
export async function bareServer(
  bodyFile: string,
  contentType: string,
): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const script = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, bodyFile, contentType], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /bare ready on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (c) => reject(new Error(`bare server exited ${c}`)));
  });
  return {
    url,
    pid: child.pid!,
    close: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))),
  };
}

const middle = (runs: LoadResult[]) =>
  [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;

/**
 * The same GET against polystack and against a bare node:http server answering the bytes polystack
 * answered, alternating, after a warm-up; the median round of each.
 */
export async function versusBare(
  url: string,
  headers: Record<string, string>,
  body: { file: string; contentType: string },
  o: { connections: number; seconds: number; rounds: number },
) {
  const bare = await bareServer(body.file, body.contentType);
  await load(url, o.connections, 2, headers);
  await load(bare.url, o.connections, 2);
  const ours: LoadResult[] = [];
  const base: LoadResult[] = [];
  for (let i = 0; i < o.rounds; i++) {
    ours.push(await load(url, o.connections, o.seconds, headers));
    base.push(await load(bare.url, o.connections, o.seconds));
  }
  await bare.close();
  return { ours: middle(ours), base: middle(base) };
}
