/**
 * A recorded CloudStack exchange, normalised: the command and its parameters without credentials
 * or signature, the HTTP status and the body under the `<command>response` key.
 */
export interface Exchange {
  command: string;
  params: Record<string, string>;
  status: number;
  body: unknown;
}

// Credentials and signing change per caller and per second; they say nothing about behaviour.
const UNRECORDED = new Set([
  'apikey',
  'signature',
  'signatureversion',
  'expires',
  'sessionkey',
  'response',
  'command',
  '_',
]);

export function exchangeOf(pairs: [string, string][], status: number, text: string): Exchange | undefined {
  const command = pairs.find(([k]) => k.toLowerCase() === 'command')?.[1];
  if (!command) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const key = Object.keys(json)[0];
  return {
    command,
    params: Object.fromEntries(pairs.filter(([k]) => !UNRECORDED.has(k.toLowerCase()))),
    status,
    body: key ? json[key] : json,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Field paths and value kinds: what two clouds must agree on for a client not to notice. */
export function shape(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v)) v.slice(0, 1).forEach((x) => shape(x, `${path}[]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) shape(x, path ? `${path}.${k}` : k, out);
  else out.set(path, typeof v === 'string' && UUID.test(v) ? 'id' : typeof v);
  return out;
}

/** Ids at the same paths of two answers to the same request: how the recorded cloud's ids read on the target. */
export function pairIds(recorded: unknown, replayed: unknown, map: Map<string, string>): void {
  if (Array.isArray(recorded) && Array.isArray(replayed)) recorded.forEach((x, i) => pairIds(x, replayed[i], map));
  else if (recorded && replayed && typeof recorded === 'object' && typeof replayed === 'object')
    for (const [k, x] of Object.entries(recorded)) pairIds(x, (replayed as Record<string, unknown>)[k], map);
  else if (typeof recorded === 'string' && typeof replayed === 'string' && UUID.test(recorded) && UUID.test(replayed))
    map.set(recorded, replayed);
}
