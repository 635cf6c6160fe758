// Only issue 15's page rows, for a before/after on one machine without the whole `npm run bench`:
// `node --import tsx bench/issue15-rows.ts [--rows size1k,size10k,ec2Page,gce,gceUncached,moto] [--quick]`.
import { loadavg } from 'node:os';
import { gceList } from './gce.js';
import { ec2Page, ec2VersusMoto, listAtSize } from './issue15.js';
import type { LoadResult } from './lib/load.js';

const QUICK = process.argv.includes('--quick');
const at = process.argv.indexOf('--rows');
const ALL = ['size1k', 'size10k', 'ec2Page', 'gce', 'gceUncached', 'moto'];
const rows = new Set(at >= 0 ? process.argv[at + 1]!.split(',') : ALL);
const o = { seconds: QUICK ? 2 : 4, rounds: QUICK ? 3 : 5 };
const ratio = (v: { ours: LoadResult; base: LoadResult }) =>
  `${v.ours.perSecond.toFixed(1)}/s vs bare ${v.base.perSecond.toFixed(1)}/s = ${(v.ours.perSecond / v.base.perSecond).toFixed(3)} × bare (p50 ${v.ours.p50ms.toFixed(1)} ms)`;
const say = (row: string, text: string) =>
  console.log(
    `${row}: ${text}  [load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}]`,
  );

for (const [row, vms] of [
  ['size1k', 1_000],
  ['size10k', 10_000],
] as const) {
  if (!rows.has(row)) continue;
  const f = await listAtSize(vms, { ...o, connections: 16, full: false, fullRuns: 0 });
  say(`${row} page 500 cache off`, ratio(f.cacheOff));
  say(`${row} page 500 cache on`, ratio(f.cacheOn));
}
if (rows.has('ec2Page')) say('ec2 DescribeInstances 100 of 1,000', ratio(await ec2Page({ ...o, connections: 8 })));
if (rows.has('gce')) say('gce instances.list 500 of 1,000 cache on', ratio(await gceList(o.seconds, o.rounds, 8)));
if (rows.has('gceUncached'))
  say('gce instances.list 500 of 1,000 cache off', ratio(await gceList(o.seconds, o.rounds, 8, false)));
if (rows.has('moto')) {
  const m = await ec2VersusMoto({ describeRuns: QUICK ? 5 : 11, runRounds: 0 });
  if ('skipped' in m) say('moto', `skipped: ${m.skipped}`);
  else
    say(
      'ec2 DescribeInstances all 1,000 vs moto',
      `${m.describe.oursMs.toFixed(1)} ms vs moto ${m.describe.motoMs.toFixed(1)} ms = ${(m.describe.motoMs / m.describe.oursMs).toFixed(1)} × moto`,
    );
}
