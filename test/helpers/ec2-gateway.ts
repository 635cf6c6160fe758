import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));

/** `polystack ec2-gateway` in front of a running polystack (as "the real CloudStack"), with its own in-memory store. */
export async function startGateway(cloud: TestServer): Promise<{ url: string; stop(): void }> {
  const gw = spawn(
    process.execPath,
    [
      BIN,
      'ec2-gateway',
      '--cloudstack',
      cloud.endpoint,
      '--admin-key',
      cloud.apiKey,
      '--admin-secret',
      cloud.secretKey,
      '--port',
      '0',
      '--in-memory',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    gw.stdout!.on('data', (d) => {
      out += d;
      const m = /ready on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    gw.once('exit', (c) => reject(new Error(`gateway exited ${c}`)));
  });
  return { url, stop: () => gw.kill('SIGTERM') };
}
