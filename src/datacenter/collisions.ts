import { ipToInt } from '../domain/net.js';
import type { CsApi } from './client.js';
import type { MarvinConfig, MarvinIpRange, MarvinPrimaryStorage } from './marvin.js';

const list = async (api: CsApi, command: string, key: string): Promise<Record<string, any>[]> =>
  ((await api.call(command, { listall: 'true' }))[key] ?? []) as Record<string, any>[];

/** nfs://10.147.28.6:/export/home/sandbox/primary0 → host and path, as listStoragePools shows them. */
function poolWhere(url: string): { host: string; path: string } | undefined {
  const m = /^\w+:\/\/([^/:]+):?(\/.*)$/.exec(url);
  return m ? { host: m[1]!, path: m[2]! } : undefined;
}

const overlaps = (a: { startip: string; endip?: string }, b: { startip: string; endip?: string }) =>
  ipToInt(a.startip) <= ipToInt(b.endip ?? b.startip) && ipToInt(b.startip) <= ipToInt(a.endip ?? a.startip);

/**
 * What a config would collide with in the cloud it is aimed at, found before the first call: a
 * deployment that fails half-way leaves a disabled zone behind, which makes every rerun fail too.
 * Each entry says what collides with what.
 */
export async function findCollisions(api: CsApi, cfg: MarvinConfig): Promise<string[]> {
  const [zones, pools, stores, ranges] = await Promise.all([
    list(api, 'listZones', 'zone'),
    list(api, 'listStoragePools', 'storagepool'),
    list(api, 'listImageStores', 'imagestore'),
    list(api, 'listVlanIpRanges', 'vlaniprange'),
  ]);
  const found: string[] = [];
  for (const z of cfg.zones) {
    if (zones.some((e) => String(e['name']).toLowerCase() === z.name.toLowerCase()))
      found.push(`zone ${z.name} exists`);
    const primaries: MarvinPrimaryStorage[] = [
      ...(z.primaryStorages ?? []),
      ...(z.pods ?? []).flatMap((p) => (p.clusters ?? []).flatMap((c) => c.primaryStorages ?? [])),
    ];
    for (const s of primaries) {
      const w = poolWhere(s.url);
      const taken = w && pools.find((p) => p['ipaddress'] === w.host && p['path'] === w.path);
      if (taken)
        found.push(
          `primary storage ${s.name} (${s.url}) is already pool ${taken['name']} in zone ${taken['zonename']}`,
        );
    }
    for (const s of z.secondaryStorages ?? []) {
      // The deployer names no image store, so CloudStack names it after its URL; names are unique.
      const taken = stores.find((i) => i['name'] === s.url);
      if (taken)
        found.push(
          `secondary storage ${s.url}: an image store of that name exists in zone ${taken['zonename'] ?? taken['zoneid']}`,
        );
    }
    const publics: MarvinIpRange[] = z.networktype === 'Advanced' ? (z.ipranges ?? []) : [];
    for (const r of publics) {
      const taken = ranges.find((e) => e['forvirtualnetwork'] && overlaps(r, e as { startip: string; endip: string }));
      if (taken)
        found.push(
          `public range ${r.startip}-${r.endip} overlaps ${taken['startip']}-${taken['endip']} in zone ${taken['zonename'] ?? taken['zoneid']}`,
        );
    }
  }
  return found;
}
