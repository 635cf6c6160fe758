// Pages of the docs site generated from the code: the configuration reference, the error
// catalog and the coverage tables. scripts/docs.ts writes them; test/docs/generated.test.ts
// fails when a committed page is stale.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Option } from 'commander';
import { buildProgram } from '../src/cli/program.js';
import { csErrors, DOMAIN_ERRORS } from '../src/cloudstack/errors.js';
import { coverageMarkdown, coverageOf, FRONTS } from '../src/coverage.js';
import { EC2_ERROR_STATUS } from '../src/ec2/errors.js';
import { GCE_FROM_CLOUDSTACK, GCE_OPERATION_ERRORS } from '../src/gce/errors.js';
import { ENVIRONMENT } from '../src/server/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const cell = (s: string) => s.replace(/\|/g, '\\|');
const GENERATED = (source: string) => `<!-- Generated from ${source} by scripts/docs.ts; do not edit. -->\n`;

function optionRows(c: Command): string[] {
  return (c.options as Option[]).map(
    (o) =>
      `| \`${cell(o.flags)}\` | ${cell(o.description)} | ${o.defaultValue === undefined ? '' : `\`${String(o.defaultValue)}\``} |`,
  );
}

function commandSection(c: Command, prefix: string): string[] {
  const name = `${prefix} ${c.name()}`;
  const args = c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
  const out = [`### \`${name}${args ? ` ${args}` : ''}\``, '', `${c.description()}.`, ''];
  if (c.options.length) out.push('| option | meaning | default |', '| --- | --- | --- |', ...optionRows(c), '');
  for (const sub of c.commands) out.push(...commandSection(sub, name));
  return out;
}

export function configurationPage(): string {
  const p = buildProgram();
  const env = ENVIRONMENT.map(
    (e) => `| \`${e.name}\` | ${e.flag ? `\`${e.flag}\`` : ''} | ${cell(e.default)} | ${cell(e.meaning)} |`,
  );
  return [
    GENERATED('src/server/config.ts and the commander options of src/cli'),
    '# Configuration reference',
    '',
    '`polystack serve` takes its settings from flags, then environment variables, then defaults.',
    '',
    '## Environment',
    '',
    '| variable | flag | default | meaning |',
    '| --- | --- | --- | --- |',
    ...env,
    '',
    '## Commands',
    '',
    ...p.commands.flatMap((c) => commandSection(c, 'polystack')),
  ].join('\n');
}

/** Every `ec2Error('Code', ...)` the EC2 front can answer with, and the files that raise it. */
function ec2Codes(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.ts'))
        for (const m of readFileSync(p, 'utf8').matchAll(/ec2Error\(\s*'([\w.]+)'/g))
          (out.get(m[1]!) ?? out.set(m[1]!, new Set()).get(m[1]!)!).add(p.slice(ROOT.length));
    }
  };
  walk(join(ROOT, 'src/ec2'));
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const SAMPLE_ARGS: Record<string, string[]> = {
  missingParam: ['deployVirtualMachine', 'zoneid'],
  invalidValue: ['listVirtualMachines', 'page', 'x'],
  badId: ['listVirtualMachines', 'id', 'x'],
  tooLong: ['createAccount', 'username', '255'],
  badDate: ['listEvents', 'x'],
  malformed: ['tags'],
  nonPrintable: ['name'],
  param: ['(the message of the check)'],
};

export function errorsPage(): string {
  const cs = Object.entries(csErrors).map(([k, f]) => {
    const e = (f as (...a: unknown[]) => { errorcode: number; cserrorcode?: number; errortext: string })(
      ...(SAMPLE_ARGS[k] ?? []),
    );
    return `| ${k} | ${e.errorcode} | ${e.cserrorcode ?? ''} | ${cell(e.errortext)} |`;
  });
  const domain = Object.entries(DOMAIN_ERRORS).map(([k, [status, code]]) => `| \`${k}\` | ${status} | ${code} |`);
  const ec2 = [...ec2Codes()].map(
    ([code, files]) =>
      `| \`${code}\` | ${EC2_ERROR_STATUS[code] ?? 400} | ${[...files].map((f) => `\`${f}\``).join(', ')} |`,
  );
  const gce = Object.entries(GCE_FROM_CLOUDSTACK).map(
    ([cs, m]) =>
      `| ${cs} | ${m.code} | \`${m.reason}\` | \`${GCE_OPERATION_ERRORS[Number(cs) as keyof typeof GCE_OPERATION_ERRORS].code}\` |`,
  );
  return [
    GENERATED('src/cloudstack/errors.ts, src/ec2 and src/gce/errors.ts'),
    '# Error catalog',
    '',
    "Each front answers errors in its own API's shape. The rules live in the services, which raise a",
    'domain error with a closed code; each front maps that code to its protocol.',
    '',
    '## CloudStack',
    '',
    'An error is `{"<command>response": {"uuidList": [], "errorcode": N, "cserrorcode": C, "errortext": "..."}}`',
    'with HTTP status N and the text repeated in the `X-Description` header.',
    '',
    '### Protocol errors (with sample arguments)',
    '',
    '| error | errorcode | cserrorcode | errortext |',
    '| --- | --- | --- | --- |',
    ...cs,
    '',
    '### Domain errors',
    '',
    'A `NotFound` that came from a request parameter is answered as `badId` above (the text Terraform matches on).',
    '',
    '| domain code | errorcode | cserrorcode |',
    '| --- | --- | --- |',
    ...domain,
    '',
    '## EC2',
    '',
    'An error is `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.',
    '',
    '| code | HTTP status | raised in |',
    '| --- | --- | --- |',
    ...ec2,
    '',
    '## GCE',
    '',
    'An error is `{"error": {"code": N, "message": "...", "errors": [{"domain": "global", "reason": "...", "message": "..."}], "status": "..."}}`.',
    "CloudStack errors met on the way are translated: synchronous ones to an HTTP error, failed jobs to the Operation's `error.errors[].code`.",
    '',
    '| CloudStack errorcode | GCE HTTP status | reason | Operation error code |',
    '| --- | --- | --- | --- |',
    ...gce,
    '',
  ].join('\n');
}

/** Every generated page by its path under docs/. */
export function generatedPages(): Record<string, string> {
  const pages: Record<string, string> = {
    'reference/configuration.md': configurationPage(),
    'reference/errors.md': errorsPage(),
  };
  for (const front of FRONTS) pages[`coverage/${front}.md`] = coverageMarkdown(coverageOf(front));
  return pages;
}
