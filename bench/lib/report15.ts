import type { MotoFigures, SizeFigures } from '../issue15.js';
import type { LoadResult } from './load.js';

type Versus = { ours: LoadResult; base: LoadResult; bodyBytes: number };

export interface Issue15Figures {
  sizes: SizeFigures[];
  bare: { ms: number; rssKiB: number };
  deployPg: { vms: number; done: number; failed: number; seconds: number; perSecond: number };
  ec2Page: Versus;
  moto: MotoFigures;
  gceUncached: Versus;
}

/** What the older sections measure that the table needs too. */
export interface Issue15Context {
  startupMs: number;
  idleRssKiB: number;
  deploySqlite: number;
  ec2All: Versus;
  gceCached: Versus;
}

const ratio = (v: Versus) => v.ours.perSecond / v.base.perSecond;
const r3 = (x: number) => x.toFixed(3);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const verdict = (met: boolean) => (met ? '**met**' : 'not met');

/** Issue 15's table: every row with the same-run baseline, the goal, and whether it is met. */
export function issue15Section(f: Issue15Figures, c: Issue15Context): string {
  const at = (n: number) => f.sizes.find((s) => s.vms === n);
  const rows: string[] = [];
  const add = (measure: string, result: string, baseline: string, goal: string, met: boolean | undefined) =>
    rows.push(`| ${measure} | ${result} | ${baseline} | ${goal} | ${met === undefined ? 'skipped' : verdict(met)} |`);
  const sizes = f.sizes.map((s) => `${s.vms / 1000}k`).join(', ');
  const off = f.sizes.map((s) => ratio(s.cacheOff));
  const on = f.sizes.map((s) => ratio(s.cacheOn));
  add(
    `CloudStack \`listVirtualMachines\`, page of 500, cache off (${sizes} VMs)`,
    `${off.map(r3).join(' / ')} × bare (${f.sizes.map((s) => s.cacheOff.ours.perSecond.toFixed(0)).join(' / ')} req/s)`,
    `bare: ${f.sizes.map((s) => s.cacheOff.base.perSecond.toFixed(0)).join(' / ')} req/s`,
    '≥ 0.25 × bare',
    off.every((x) => x >= 0.25),
  );
  add(
    'same, cache on',
    `${on.map(r3).join(' / ')} × bare`,
    `bare: ${f.sizes.map((s) => s.cacheOn.base.perSecond.toFixed(0)).join(' / ')} req/s`,
    '≥ 0.9 × bare',
    on.every((x) => x >= 0.9),
  );
  for (const [n, goal] of [
    [10_000, 400],
    [50_000, 2000],
  ] as const) {
    const full = at(n)?.full;
    if (!full) continue;
    const ok = full.status === 200;
    add(
      `full list of ${n.toLocaleString('en')} VMs (${(full.bytes / 2 ** 20).toFixed(1)} MB)`,
      ok ? ms(full.ms) : `HTTP ${full.status}: ${full.error ?? ''}`,
      ok ? `bare: ${ms(full.bareMs)}` : '—',
      `works, ≤ ${goal} ms`,
      ok && full.ms <= goal,
    );
  }
  add(
    'EC2 `DescribeInstances`, MaxResults=100 of 1,000',
    `${r3(ratio(f.ec2Page))} × bare (${f.ec2Page.ours.perSecond.toFixed(0)} req/s)`,
    `bare: ${f.ec2Page.base.perSecond.toFixed(0)} req/s`,
    '≥ 0.25 × bare',
    ratio(f.ec2Page) >= 0.25,
  );
  if ('skipped' in f.moto) {
    add('EC2 `DescribeInstances`, all 1,000, vs moto', `skipped: ${f.moto.skipped}`, '—', '≥ 10 × moto', undefined);
    add(
      'EC2 `RunInstances` 100 at a time until running, vs moto',
      `skipped: ${f.moto.skipped}`,
      '—',
      '≥ 2 × moto',
      undefined,
    );
  } else {
    const d = f.moto.describe.motoMs / f.moto.describe.oursMs;
    const r = f.moto.run.motoMs / f.moto.run.oursMs;
    add(
      'EC2 `DescribeInstances`, all 1,000, vs moto (same @aws-sdk/client-ec2)',
      `${d.toFixed(2)} × moto (${ms(f.moto.describe.oursMs)} a call)`,
      `moto: ${ms(f.moto.describe.motoMs)}`,
      '≥ 10 × moto',
      d >= 10,
    );
    add(
      'EC2 `RunInstances` 100 at a time until running, vs moto',
      `${r.toFixed(2)} × moto (${ms(f.moto.run.oursMs)} a call)`,
      `moto: ${ms(f.moto.run.motoMs)}`,
      '≥ 2 × moto',
      r >= 2,
    );
  }
  const gOff = ratio(f.gceUncached);
  const gOn = ratio(c.gceCached);
  add(
    'GCE `instances.list`, 500 of 1,000, cache off / on',
    `${r3(gOff)} / ${r3(gOn)} × bare (${f.gceUncached.ours.perSecond.toFixed(0)} / ${c.gceCached.ours.perSecond.toFixed(0)} req/s)`,
    `bare: ${f.gceUncached.base.perSecond.toFixed(0)} / ${c.gceCached.base.perSecond.toFixed(0)} req/s`,
    '≥ 0.25 × bare',
    gOff >= 0.25 && gOn >= 0.25,
  );
  add(
    'deploys to Running per second, agent delay 0, SQLite / PostgreSQL',
    `${c.deploySqlite.toFixed(0)} / ${f.deployPg.perSecond.toFixed(0)} VMs/s${f.deployPg.failed ? ` (${f.deployPg.failed} failed on PostgreSQL)` : ''}`,
    '—',
    '≥ 500 / ≥ 200 VMs/s',
    c.deploySqlite >= 500 && f.deployPg.perSecond >= 200,
  );
  add(
    'start-up to the first signed `listZones`, in memory',
    ms(c.startupMs),
    `bare node server: ${ms(f.bare.ms)}`,
    '≤ 300 ms',
    c.startupMs <= 300,
  );
  add('idle RSS, in memory', mib(c.idleRssKiB), `bare: ${mib(f.bare.rssKiB)}`, '≤ 80 MiB', c.idleRssKiB <= 80 * 1024);
  const big = at(50_000);
  if (big?.rssKiB)
    add(
      'RSS with 50,000 VMs (right after their full list)',
      mib(big.rssKiB),
      `bare: ${mib(f.bare.rssKiB)}`,
      '≤ 250 MiB',
      big.rssKiB <= 250 * 1024,
    );
  return `## Issue 15: every row of the table against its goal

Ratios are polystack's requests per second over its baseline's in the same run (the bare \`node:http\` server
replaying polystack's bytes), or moto's time over polystack's for the same SDK call (more is faster). The
machine is shared with other work while the bench runs: absolute figures move with its load, the same-run
ratios much less. Sections (a)–(l) below give the details of the rows they share.

| measure | polystack | baseline, same run | goal | |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

`;
}
