// GCE front figures for `npm run bench`: instances.list over 1,000 instances next to a bare server
// sending the same bytes, and instances.insert to a DONE operation per second.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { versusBare } from './lib/load.js';
import { startPolystack, startSeeded } from './lib/server.js';

const TOKEN = 'bench-gce-dev-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const ZONE = 'sandbox-simulator-advanced';

/** (h) GET instances (maxResults=500, the API's largest page, twice) over 1,000 instances, the CloudStack answer cache on or off. */
export async function gceList(seconds: number, rounds: number, connections: number, cache = true) {
  const p = await startSeeded(1_000, {
    POLYSTACK_GCE_DEV_TOKEN: TOKEN,
    POLYSTACK_RESPONSE_CACHE: cache ? 'on' : 'off',
  });
  const url = `${p.url}/compute/v1/projects/admin/zones/${ZONE}/instances?maxResults=500`;
  const r = await fetch(url, { headers: AUTH });
  const text = await r.text();
  const page = JSON.parse(text) as { items?: unknown[]; nextPageToken?: string };
  if (r.status !== 200 || page.items?.length !== 500 || !page.nextPageToken)
    throw new Error(`unexpected GCE answer: ${text.slice(0, 300)}`);
  const file = join(p.dir, 'body.json');
  writeFileSync(file, text);
  const { ours, base } = await versusBare(
    url,
    AUTH,
    { file, contentType: 'application/json; charset=UTF-8' },
    { connections, seconds, rounds },
  );
  await p.stop();
  return { ours, base, bodyBytes: Buffer.byteLength(text) };
}

/** (i) `n` concurrent instances.insert, then zoneOperations.get until every operation is DONE. */
export async function gceInsertRate(n: number) {
  const p = await startPolystack(['--in-memory'], { POLYSTACK_AGENT_DELAY_MS: '0', POLYSTACK_GCE_DEV_TOKEN: TOKEN });
  const zoneUrl = (zone: string) => `${p.url}/compute/v1/projects/admin/zones/${zone}`;
  const insert = (zone: string, body: unknown) =>
    fetch(`${zoneUrl(zone)}/instances`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then((r) => r.json() as Promise<any>)
      .then((op) => ({ zone, op }));
  // Split like the zones' capacity (as for EC2): 60% in the advanced zone, the rest in the basic one.
  const zoneOf = (i: number) => (i < Math.round(n * 0.6) ? ZONE : 'sandbox-simulator-basic');
  const image = (
    (await (await fetch(`${p.url}/compute/v1/projects/admin/global/images`, { headers: AUTH })).json()) as any
  ).items[0].selfLink;
  const t0 = performance.now();
  const ops = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      insert(zoneOf(i), {
        name: `bench-${i}`,
        machineType: `zones/${zoneOf(i)}/machineTypes/small-instance`,
        disks: [{ boot: true, initializeParams: { sourceImage: image } }],
        networkInterfaces: [{ network: 'global/networks/default' }],
      }),
    ),
  );
  let failed = 0;
  await Promise.all(
    ops.map(async ({ zone, op }) => {
      if (!op.name) throw new Error(`insert refused: ${JSON.stringify(op).slice(0, 300)}`);
      for (;;) {
        const o = (await (await fetch(`${zoneUrl(zone)}/operations/${op.name}`, { headers: AUTH })).json()) as any;
        if (o.status === 'DONE') return void (o.error && failed++);
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await p.stop();
  return { n, failed, seconds, perSecond: (n - failed) / seconds };
}
