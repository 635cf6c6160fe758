import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import type { CommandDef } from '../../src/cloudstack/command.js';
import { decodeParams, type RawPairs } from '../../src/cloudstack/params.js';
import { apiSpec, type ApiParamSpec, type ApiSpec } from '../../src/cloudstack/spec.js';
import { world, type World } from '../helpers/inprocess.js';

/**
 * Guard: a command that accepts a parameter of the 4.18 spec but never reads it answers as if it had
 * not been given — a dropped list filter lists everything, and tools take the first item. The
 * parameters each implemented command ignores are committed in unread-params.json; this test fails
 * when a new one appears (a new gap) and when a listed one is read now (the list only shrinks).
 *
 * Detection is dynamic first: Params records every name asked of it (`Params.read`), and each
 * command's handler is called in process, as the root admin (so admin-only branches run), with every
 * spec parameter given a plausible value. Shared helpers (listScope, paging, filterByTagsAndIds, ...)
 * therefore count for exactly the commands that call them. Calling the handler directly, not through
 * handleApi, keeps out the pipeline's own reads (resolveIds looks at every uuid parameter).
 * A handler run against the real seeded cloud stops at the first look-up of a sample id (an unknown
 * id throws), so each handler runs a second time against `permissive()` services, which answer
 * anything and throw nothing: the reads after the look-ups happen (the first version of this test,
 * without it, listed ~100 false gaps such as scaleVirtualMachine serviceofferingid). The reads of both
 * runs are joined with those written literally in the handler's own source (`p.str('name')`,
 * `uuidList(p, 'name')`), which covers reads inside callbacks over rows and untaken branches. A
 * name read only by a helper on a path neither run takes would show as unread (conservative).
 * What this cannot see: a value read and passed to a service that ignores it, and, in a handler
 * shared by several commands (imageList), a literal read in a branch for another command.
 */
const INVENTORY = new URL('./unread-params.json', import.meta.url);
/** Answered by the authenticator before any handler exists. */
const NOT_HANDLERS = new Set(['login', 'logout']);
const FIXED_UUID = '5d1c1c5e-0000-4000-8000-00000000000';

function sample(p: ApiParamSpec, i: number): string {
  const n = p.name.toLowerCase();
  switch (p.type) {
    case 'uuid':
      return FIXED_UUID + (i % 10);
    case 'list':
      return FIXED_UUID + (i % 10);
    case 'boolean':
      return 'true';
    case 'integer':
    case 'long':
    case 'short':
      return '1';
    case 'float':
    case 'double':
      return '1.5';
    case 'date':
      return '2026-01-01';
    default:
      if (n.includes('cidr')) return '10.1.1.0/24';
      if (n.includes('gateway')) return '10.1.1.1';
      if (n.includes('netmask')) return '255.255.255.0';
      if (n.endsWith('ip') || n.includes('ipaddress')) return '10.1.1.10';
      if (n.includes('url')) return 'http://example.com/image.qcow2';
      return 'x';
  }
}

function pairsFor(api: ApiSpec): RawPairs {
  return api.params.flatMap((p, i): RawPairs =>
    p.type === 'map'
      ? [
          [`${p.name}[0].key`, 'k'],
          [`${p.name}[0].value`, 'v'],
          [`${p.name}[0].name`, 'x'],
        ]
      : [[p.name, sample(p, i)]],
  );
}

/** Names the handler's own source asks for by literal: accessor calls and helper(p, 'name'). */
function literalReads(def: CommandDef): Set<string> {
  const src = def.handle.toString();
  const out = new Set<string>();
  for (const m of src.matchAll(/\.(?:str|req|uuid|bool|int|list|map|has)\(\s*['"`]([A-Za-z0-9_]+)['"`]/g))
    out.add(m[1]!.toLowerCase());
  for (const m of src.matchAll(/\(\s*(?:p|params|ctx\.params)\s*,\s*['"`]([A-Za-z0-9_]+)['"`]/g))
    out.add(m[1]!.toLowerCase());
  return out;
}

/**
 * Stands in for every service: any property, call or await of it gives itself, it iterates as
 * empty, and converts to NaN (every comparison false, so few guards fire) or ''. A handler run against it gets past the look-ups that would throw
 * on the sample ids, so the reads after them happen.
 */
function permissive(): any {
  const stub: any = new Proxy(() => undefined, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator || prop === Symbol.asyncIterator) return function* () {};
      if (prop === Symbol.toPrimitive) return (hint: string) => (hint === 'number' ? Number.NaN : '');
      if (prop === 'length') return 0;
      return stub;
    },
    apply: () => stub,
    construct: () => stub,
  });
  return stub;
}

/** Names the handler read when run against `services`; a throw or a 2 s wait just ends the run. */
async function readsOf(w: World, def: CommandDef, api: ApiSpec, services: World['s']): Promise<Set<string>> {
  let params;
  try {
    params = decodeParams(api, pairsFor(api));
  } catch (e) {
    throw new Error(`${def.name}: the sample values do not pass the spec checks: ${(e as Error).message}`);
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const run = def.handle({ caller: w.admin, services, params, command: def.name, httpMethod: 'POST' });
    await Promise.race([run.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2000)))]);
  } catch {
    // a synchronous throw: the reads so far are recorded
  }
  clearTimeout(timer);
  return params.read;
}

async function unreadNow(w: World): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const def of COMMANDS.values()) {
    const api = apiSpec(def.name);
    if (!api || NOT_HANDLERS.has(def.name.toLowerCase())) continue;
    const read = new Set([
      ...(await readsOf(w, def, api, w.s)),
      ...(await readsOf(w, def, api, permissive())),
      ...literalReads(def),
    ]);
    const unread = api.params
      .map((p) => p.name.toLowerCase())
      .filter((n) => !read.has(n))
      .sort();
    if (unread.length) out[api.name] = unread;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

describe('CloudStack parameters accepted but never read', () => {
  let w: World;
  let actual: Record<string, string[]>;
  before(async () => {
    w = await world({ delayMs: 0 });
    actual = await unreadNow(w);
    if (process.env['UPDATE_UNREAD_PARAMS'] === '1') writeFileSync(INVENTORY, JSON.stringify(actual, null, 2) + '\n');
  });
  after(() => w.close());

  const inventory = (): Record<string, string[]> => JSON.parse(readFileSync(INVENTORY, 'utf8'));

  it('no command ignores a parameter the inventory does not list', () => {
    const known = inventory();
    const fresh = Object.entries(actual).flatMap(([cmd, names]) =>
      names.filter((n) => !known[cmd]?.includes(n)).map((n) => `${cmd} ${n}`),
    );
    assert.deepEqual(
      fresh,
      [],
      'read these parameters in the handler (or, if CloudStack ignores them too, add them to unread-params.json)',
    );
  });

  it('every inventory entry is still unread (the list only shrinks)', () => {
    const stale = Object.entries(inventory()).flatMap(([cmd, names]) =>
      names.filter((n) => !actual[cmd]?.includes(n)).map((n) => `${cmd} ${n}`),
    );
    assert.deepEqual(stale, [], 'these are read now: remove them from unread-params.json');
  });

  it('the inventory is sorted, by command and by name', () => {
    const inv = inventory();
    assert.deepEqual(
      Object.keys(inv),
      Object.keys(inv).sort((a, b) => a.localeCompare(b)),
    );
    for (const [cmd, names] of Object.entries(inv)) assert.deepEqual(names, [...names].sort(), cmd);
  });
});
