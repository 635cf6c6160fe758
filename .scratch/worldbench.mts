import { world } from '/work/main/test/helpers/inprocess.ts';
import { profiled } from '/work/main/bench/lib/profile.ts';
const w0 = await world(); await w0.close();
const n = 100;
const cpu = process.cpuUsage(); const t = performance.now();
await profiled(async () => { for (let i = 0; i < n; i++) { const w = await world(); await w.close(); } });
const u = process.cpuUsage(cpu);
console.log(`${((performance.now() - t) / n).toFixed(1)} ms wall, ${((u.user + u.system) / 1000 / n).toFixed(1)} ms CPU per world`);
