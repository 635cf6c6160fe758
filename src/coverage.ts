import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from './cloudstack/commands/index.js';
import { allApiSpecs } from './cloudstack/spec.js';
import { ACTIONS } from './ec2/actions/index.js';
import { ec2Model } from './ec2/model.js';
import { ROUTES } from './gce/routes.js';
import { packageRoot, specFile } from './specs.js';

/** Coverage tables generated from the code: what each front implements out of its API. */
export const FRONTS = ['cloudstack', 'ec2', 'gce'] as const;
export type Front = (typeof FRONTS)[number];

export interface Coverage {
  front: Front;
  title: string;
  /** What the denominator is: "commands of CloudStack 4.18", ... */
  surface: string;
  /** Name of the first column. */
  unit: string;
  rows: { name: string; done: boolean; extra?: string; gaps: boolean }[];
  /** Name of the optional extra column. */
  extra?: string;
  footnote?: string;
}

const SIMULATOR = ['configureSimulator', 'querySimulatorMock', 'cleanupSimulatorMock'];

// The GAPS.md of each front ships in the npm package, so the notes column works from an install too.
function gapsMentions(front: Front): (name: string) => boolean {
  const file = join(packageRoot(), 'src', front, 'GAPS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (front !== 'gce') return (name) => new RegExp(`\\b${name}\\b`).test(text);
  // GAPS.md writes GCE methods as `disks.insert/delete/resize` or `instances.suspend/resume`.
  return (id) => {
    const [resource, method] = id.split('.') as [string, string];
    return new RegExp(`\\b${resource}\\.(\\w+/)*${method}\\b`).test(text);
  };
}

export function coverageOf(front: Front): Coverage {
  const gaps = gapsMentions(front);
  if (front === 'cloudstack') {
    const specs = allApiSpecs()
      .filter((a) => !SIMULATOR.includes(a.name))
      .sort((a, b) => a.name.localeCompare(b.name));
    const done = new Set([...COMMANDS.values()].map((d) => d.name));
    return {
      front,
      title: 'CloudStack API coverage',
      surface: 'commands of CloudStack 4.18',
      unit: 'command',
      extra: 'async',
      rows: specs.map((a) => ({
        name: a.name,
        done: done.has(a.name),
        extra: a.isasync ? 'async' : '',
        gaps: gaps(a.name),
      })),
      footnote: `plus the simulator's ${SIMULATOR.join(', ')}`,
    };
  }
  if (front === 'ec2') {
    const ops = Object.keys(ec2Model().operations).sort();
    return {
      front,
      title: 'EC2 API coverage',
      surface: 'actions of the EC2 API model (2016-11-15)',
      unit: 'action',
      rows: ops.map((o) => ({ name: o, done: !!ACTIONS[o], gaps: gaps(o) })),
    };
  }
  const spec = JSON.parse(readFileSync(specFile('gce', 'compute-v1-methods.json'), 'utf8')) as {
    source: string;
    methods: { id: string }[];
  };
  const served = new Set(ROUTES.map((r) => r.id));
  return {
    front,
    title: 'GCE API coverage',
    surface: `methods of Compute Engine v1 (${spec.source})`,
    unit: 'method',
    rows: spec.methods.map((m) => ({ name: m.id, done: served.has(m.id), gaps: gaps(m.id) })),
  };
}

export function coverageSummary(c: Coverage): string {
  const n = c.rows.filter((r) => r.done).length;
  return `${n} of the ${c.rows.length} ${c.surface} are implemented${c.footnote ? ` (${c.footnote})` : ''}.`;
}

/** The table as Markdown: what docs/coverage/<front>.md holds and `polystack coverage` prints. */
export function coverageMarkdown(c: Coverage, opts: { missingOnly?: boolean } = {}): string {
  const head = [c.unit, ...(c.extra ? [c.extra] : []), 'implemented', 'notes'];
  const rows = c.rows
    .filter((r) => !opts.missingOnly || !r.done)
    .map(
      (r) =>
        `| ${[r.name, ...(c.extra ? [r.extra ?? ''] : []), r.done ? 'yes' : '', r.gaps ? `see [GAPS.md](${gapsLink(c.front)})` : ''].join(' | ')} |`,
    );
  return `# ${c.title}\n\n${coverageSummary(c)}\n\n| ${head.join(' | ')} |\n| ${head.map(() => '---').join(' | ')} |\n${rows.join('\n')}\n`;
}

// Links from docs/coverage/*.md to the GAPS.md files beside the source; the docs site copies them.
const gapsLink = (front: Front) => `../gaps/${front}.md`;

export const cloudstackCoverage = (): string => coverageMarkdown(coverageOf('cloudstack'));
export const ec2Coverage = (): string => coverageMarkdown(coverageOf('ec2'));
export const gceCoverage = (): string => coverageMarkdown(coverageOf('gce'));
