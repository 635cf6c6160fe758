import type { Command } from 'commander';
import { CONFORMANCE_FRONTS as FRONTS } from '../conformance/fronts.js';

export function registerConformanceCommand(program: Command): void {
  program
    .command('conformance')
    .description(
      'run the conformance scenarios against any endpoint (polystack, a CloudStack, a gateway) and report what passed, failed and differed',
    )
    .requiredOption(
      '--target <url>',
      'base URL of the endpoint, e.g. http://127.0.0.1:8080 (the CloudStack API is looked for at /client/api)',
    )
    .option('--front <fronts>', `comma-separated: ${FRONTS.join(', ')} or all`, 'cloudstack')
    .option('--key <key>', 'CloudStack API key (env CLOUDSTACK_KEY); EC2 and GCE use the same pair')
    .option('--secret <secret>', 'its secret key (env CLOUDSTACK_SECRET)')
    .option('--zone <name>', 'zone to create things in (default: a basic zone, else the first)')
    .option('--template <name>', 'template or image to deploy (default: the first ready one)')
    .option('--offering <name>', 'service offering (default: the smallest)')
    .option('--project <name>', 'GCE project: the CloudStack account name of the key pair', 'admin')
    .option('--only <regex>', 'run only the scenarios whose id matches')
    .option('--timeout <seconds>', 'how long one asynchronous operation may take', '120')
    .option('--json', 'print the report as JSON')
    .action(async (o) => {
      const apiKey = o.key ?? process.env['CLOUDSTACK_KEY'];
      const secretKey = o.secret ?? process.env['CLOUDSTACK_SECRET'];
      if (!apiKey || !secretKey)
        throw new Error(
          'an API key pair is needed: --key/--secret or CLOUDSTACK_KEY/CLOUDSTACK_SECRET (eval "$(polystack env)" sets them for a local polystack)',
        );
      const fronts =
        o.front === 'all'
          ? FRONTS
          : String(o.front)
              .split(',')
              .map((f) => f.trim());
      const unknown = fronts.filter((f) => !(FRONTS as readonly string[]).includes(f));
      if (unknown.length) throw new Error(`unknown front ${unknown.join(', ')}; expected ${FRONTS.join(', ')} or all`);
      const target = {
        url: String(o.target).replace(/\/+$/, ''),
        apiKey,
        secretKey,
        zone: o.zone,
        template: o.template,
        offering: o.offering,
        project: o.project,
        timeoutMs: Number(o.timeout) * 1000,
      };
      // The scenarios and their clients are loaded by this command only, not by `serve`.
      const [{ formatReport, runSuites }, { SUITES }] = await Promise.all([
        import('../conformance/runner.js'),
        import('../conformance/suites.js'),
      ]);
      const report = await runSuites(
        target,
        fronts.map((f) => SUITES[f as keyof typeof SUITES]),
        o.only ? new RegExp(o.only) : undefined,
      );
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
      if (report.totals.failed + report.totals.differed > 0) process.exitCode = 1;
    });
}
