import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Exchange } from '../record/exchange.js';

// Loaded by the commands that use them: `serve` never does.
const proxy = () => import('../record/proxy.js');
const compare = () => Promise.all([import('../record/compare.js'), import('../conformance/runner.js')]);

/** `polystack record` and `polystack compare`: show where polystack differs from a real cloud. */
export function registerRecordCommands(program: Command): void {
  program
    .command('record')
    .description("proxy a client's CloudStack session to a real cloud and save the exchanges, normalised, to a file")
    .requiredOption(
      '--upstream <url>',
      'the cloud to forward to, e.g. https://cloud.example.com (paths are kept: point clients at http://HOST:PORT/client/api)',
    )
    .requiredOption('--out <file>', 'JSON-lines file the exchanges are appended to')
    .option('-p, --port <port>', 'port to listen on', '8083')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .action(async (o) => {
      const { recordProxy } = await proxy();
      const server = recordProxy(o.upstream, o.out);
      await new Promise<void>((r) => server.listen(Number(o.port), o.host, r));
      const port = (server.address() as { port: number }).port;
      process.stdout.write(
        `polystack record ready on http://${o.host}:${port} (forwarding to ${o.upstream}, writing ${o.out})\n`,
      );
      const stop = () => server.close(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  program
    .command('compare <file>')
    .description('replay a recording against polystack (or any CloudStack) and report where the answers differ')
    .option('--target <url>', 'endpoint to replay against', 'http://127.0.0.1:8080')
    .option('--key <key>', 'its API key (env CLOUDSTACK_KEY)')
    .option('--secret <secret>', 'its secret key (env CLOUDSTACK_SECRET)')
    .option('--timeout <seconds>', 'how long to wait for a job the recording saw finished', '60')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o) => {
      const apiKey = o.key ?? process.env['CLOUDSTACK_KEY'];
      const secretKey = o.secret ?? process.env['CLOUDSTACK_SECRET'];
      if (!apiKey || !secretKey)
        throw new Error('an API key pair is needed: --key/--secret or CLOUDSTACK_KEY/CLOUDSTACK_SECRET');
      const exchanges = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Exchange);
      const [{ compareRecording }, { formatReport }] = await compare();
      const report = await compareRecording(exchanges, {
        url: String(o.target).replace(/\/+$/, ''),
        apiKey,
        secretKey,
        timeoutMs: Number(o.timeout) * 1000,
      });
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
      if (report.totals.failed + report.totals.differed > 0) process.exitCode = 1;
    });
}
