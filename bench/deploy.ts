// `node --import tsx bench/deploy.ts [--sqlite] [--pg] [--moto] [--vms=N] [--rounds=N]`: only issue 15's deploy
// rows (deploys to Running per second on SQLite and PostgreSQL, RunInstances 100 at a time against moto), with the
// load average around them. Needs `npm run build`. Without a row flag, all three.
import { loadavg } from 'node:os';
import { deployRate, deployRatePg } from './lib/deploy-rate.js';
import { ec2VersusMoto } from './issue15.js';

const flag = (name: string) => process.argv.includes(`--${name}`);
const num = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const all = !flag('sqlite') && !flag('pg') && !flag('moto');
const vms = num('vms', 80);
const rounds = num('rounds', 3);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function rate(name: string, f: () => Promise<{ done: number; failed: number; perSecond: number }>) {
  const runs = [];
  for (let i = 0; i < rounds; i++) runs.push(await f());
  const rates = runs.map((r) => r.perSecond);
  console.log(
    `${name}: ${vms} deploys, median ${median(rates).toFixed(1)} VMs/s (runs ${rates.map((r) => r.toFixed(1)).join(', ')};` +
      ` failed ${runs.map((r) => r.failed).join(', ')}) load ${load()}`,
  );
}

console.log(`load before ${load()}`);
if (all || flag('sqlite')) await rate('SQLite in-memory', () => deployRate(vms));
if (all || flag('pg')) await rate('PostgreSQL', () => deployRatePg(vms));
if (all || flag('moto')) {
  const m = await ec2VersusMoto({ describeRuns: 1, runRounds: rounds });
  if ('skipped' in m) console.log(`moto: skipped (${m.skipped})`);
  else
    console.log(
      `RunInstances ${m.run.batch} until running: polystack ${m.run.oursMs.toFixed(0)} ms, moto ${m.run.motoMs.toFixed(0)} ms` +
        ` (× moto ${(m.run.motoMs / m.run.oursMs).toFixed(2)}; median of ${m.run.rounds}) load ${load()}`,
    );
}
