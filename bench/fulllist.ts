// Issue 15's full-list rows alone (listVirtualMachines pagesize=-1 at 10k and 50k VMs, RSS after the 50k
// list), on SQLite or PostgreSQL, each next to a bare node:http server replaying the same bytes:
//   npm run build && node --import tsx bench/fulllist.ts [--sizes 10000,50000] [--runs 3] [--pg] [--xml]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareServer } from './lib/load.js';
import { rssKiB, startPolystack } from './lib/server.js';
import { seedVms } from './lib/seed-vms.js';
import { signedQuery } from './lib/sign.js';
import { timedGets } from './issue15.js';
import { freshDatabase } from '../test/helpers/pg.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('--sizes') ?? '10000,50000').split(',').map(Number);
const runs = Number(arg('--runs') ?? 3);
const pg = process.argv.includes('--pg');
const xml = process.argv.includes('--xml');

async function one(vms: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-fulllist-'));
  const db = pg ? await freshDatabase() : undefined;
  const args = db ? ['--in-memory', '--database', db.url] : ['--data-dir', dir];
  try {
    await (await startPolystack(args)).stop();
    await seedVms(db ? { url: db.url } : { file: join(dir, 'polystack.db') }, vms);
    const p = await startPolystack(args);
    const query = { command: 'listVirtualMachines', listall: 'true', pagesize: '-1', response: xml ? 'xml' : 'json' };
    const ours = await timedGets(`${p.url}/client/api?${signedQuery(query)}`, runs);
    const rss = await rssKiB(p.child.pid!);
    await p.stop();
    if (ours.status !== 200) throw new Error(`status ${ours.status}: ${ours.text.slice(0, 300)}`);
    const file = join(dir, 'full.body');
    writeFileSync(file, ours.text);
    const bare = await bareServer(file, xml ? 'text/xml; charset=UTF-8' : 'application/json; charset=UTF-8');
    const base = await timedGets(bare.url, runs);
    await bare.close();
    const line = {
      vms,
      database: pg ? 'PostgreSQL' : 'SQLite',
      format: xml ? 'xml' : 'json',
      ms: Math.round(ours.ms),
      bareMs: Math.round(base.ms),
      MB: +(Buffer.byteLength(ours.text) / 1e6).toFixed(1),
      rssMiB: Math.round(rss / 1024),
      load: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  }
}

for (const n of sizes) await one(n);
