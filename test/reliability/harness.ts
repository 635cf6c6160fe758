import type { Kysely } from 'kysely';
import { createServer } from 'node:net';
import type { MarvinConfig } from '../../src/datacenter/marvin.js';
import { defaultDatacenters } from '../../src/server/datacenters.js';
import type { Database } from '../../src/store/schema.js';
import type { CsClient } from '../helpers/cs-client.js';
import { createTenant, type Keys } from '../helpers/fronts.js';
import { startServer, type ServerProcess } from '../helpers/server.js';

/**
 * The reliability suite's sizes: a CI-sized run by default, the figures RELIABILITY.md reports
 * with POLYSTACK_RELIABILITY=full. Each test reads its own numbers from here.
 */
export const FULL = process.env['POLYSTACK_RELIABILITY'] === 'full';
export const SIZE = FULL
  ? {
      loadClients: 200,
      loadSeconds: 60,
      loadTenants: 20,
      crashVms: 1000,
      crashKills: 20,
      crashTenants: 10,
      fuzzRuns: 120_000,
    }
  : { loadClients: 20, loadSeconds: 8, loadTenants: 4, crashVms: 90, crashKills: 3, crashTenants: 3, fuzzRuns: 3_000 };

/** Simulated hosts large enough that capacity is not what a storm runs out of (SimulatorDiscoverer's URL overrides; memory in bytes). */
const BIG_HOST = `cpucore=64&cpuspeed=8000&memory=${512 * 1024 ** 3}`;

/** The default zones with every simulated host made big. */
export function bigDatacenters(): MarvinConfig[] {
  const datacenters = defaultDatacenters();
  for (const dc of datacenters)
    for (const z of dc.zones)
      for (const p of z.pods ?? [])
        for (const c of p.clusters ?? []) for (const h of c.hosts ?? []) h.url = `${h.url}/${BIG_HOST}`;
  return datacenters;
}

/** Where the cloud under test keeps its state, and how many `polystack serve` processes share it (targets.ts). */
export interface Target {
  name: 'sqlite' | 'postgres';
  /** How many `polystack serve` processes share the database. */
  nodes: number;
  /** Arguments of node `node`'s `polystack serve` (besides --port). */
  serveArgs(node: number): string[];
  /** Environment every node gets. */
  env?: Record<string, string>;
  /** Silence (ms) after which the other nodes take a node's jobs over; absent with one node. */
  deadMs?: number;
  /** A connection for invariant checks, beside the running nodes. */
  open(): Promise<Kysely<Database>>;
  cleanup(): Promise<void>;
}

/** CloudStack's resource types (Resource.ResourceType), user_vm through secondary_storage. */
const RESOURCE_TYPES = 12;

/** A tenant whose account limits are lifted: a storm measures the cloud, not the default limit of 20 VMs. */
export async function storming(admin: CsClient, name: string): Promise<Keys> {
  const keys = await createTenant(admin, name);
  const account = (await admin.call('listAccounts', { id: keys.accountId })).body.account[0];
  for (let type = 0; type < RESOURCE_TYPES; type++) {
    const r = await admin.call(
      'updateResourceLimit',
      { account: name, domainid: account.domainid, resourcetype: String(type), max: '-1' },
      'POST',
    );
    if (r.status !== 200) throw new Error(`updateResourceLimit ${name} ${type}: ${JSON.stringify(r.body)}`);
  }
  return keys;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts node `node` of the target on a fixed port (a restarted node comes back where clients expect it). */
export function startNode(
  tg: Target,
  node: number,
  port: number,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  return startServer({
    args: [...tg.serveArgs(node), '--port', String(port)],
    env: { POLYSTACK_AGENT_DELAY_MS: '50', ...tg.env, ...env },
  });
}

/** Every node of the target, each on a port of its own, started together. */
export async function startNodes(
  tg: Target,
  env: Record<string, string> = {},
): Promise<{ ports: number[]; servers: ServerProcess[] }> {
  const ports: number[] = [];
  for (let i = 0; i < tg.nodes; i++) ports.push(await freePort());
  return { ports, servers: await Promise.all(ports.map((port, i) => startNode(tg, i, port, env))) };
}

/** Percentiles of a list of numbers (ms). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
