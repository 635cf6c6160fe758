import type { Kysely, Transaction } from 'kysely';
import type { VmState } from '../../src/domain/types.js';
import { dialectOf } from '../../src/store/dialect.js';
import type { Database } from '../../src/store/schema.js';

const MiB = 1024 * 1024;
/** VM states that are on their way somewhere; a VM in one must have a job that moves it. */
export const MOVING: VmState[] = ['Starting', 'Stopping', 'Migrating', 'Expunging'];

/**
 * Runs `fn`'s queries on one snapshot of the database, so rows a running node commits between two
 * of them cannot look like a broken invariant (a SQLite read transaction is one snapshot already).
 */
export function inSnapshot<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const tx = db.transaction();
  return (dialectOf(db) === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx).execute(fn);
}

/**
 * What must hold in the database at any moment a transaction is not half-way, whatever was killed
 * when: every break is returned as a sentence (an empty list means all hold). Written in Kysely
 * only, so the same checks read SQLite and PostgreSQL.
 */
export function brokenInvariants(db: Kysely<Database>): Promise<string[]> {
  return inSnapshot(db, brokenIn);
}

async function brokenIn(db: Transaction<Database>): Promise<string[]> {
  const broken: string[] = [];
  // No address given twice: guest addresses per network, public addresses per zone.
  const dupNics = await db
    .selectFrom('nics')
    .select(['networkId', 'ipAddress', (eb) => eb.fn.countAll<number>().as('n')])
    .where('removed', 'is', null)
    .groupBy(['networkId', 'ipAddress'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const d of dupNics) broken.push(`guest address ${d.ipAddress} on network ${d.networkId} is held by ${d.n} NICs`);
  const dupPublic = await db
    .selectFrom('publicIps')
    .select(['zoneId', 'address', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['zoneId', 'address'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const d of dupPublic) broken.push(`public address ${d.address} exists ${d.n} times`);
  const strayPublic = await db
    .selectFrom('publicIps')
    .select(['address', 'state'])
    .where('state', '=', 'Free')
    .where('accountId', 'is not', null)
    .execute();
  for (const d of strayPublic) broken.push(`public address ${d.address} is Free but still owned`);
  // No VLAN given twice, in the allocation table or on live networks.
  const dupVlans = await db
    .selectFrom('guestVlans')
    .select(['zoneId', 'vlan', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['zoneId', 'vlan'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const d of dupVlans) broken.push(`VLAN ${d.vlan} allocated ${d.n} times`);
  const dupNetVlans = await db
    .selectFrom('networks')
    .select(['zoneId', 'vlan', (eb) => eb.fn.countAll<number>().as('n')])
    .where('removed', 'is', null)
    .where('vlan', 'is not', null)
    .groupBy(['zoneId', 'vlan'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  for (const d of dupNetVlans) broken.push(`VLAN ${d.vlan} carries ${d.n} live networks`);
  // Host capacity is what the VMs placed on it reserve; pool usage is what its volumes take.
  const hosts = await db.selectFrom('hosts').select(['id', 'name', 'cpuUsed', 'memoryUsed']).execute();
  const placed = await db
    .selectFrom('vms')
    .select([
      'hostId',
      (eb) => eb.fn.sum<number>(eb('cpuNumber', '*', eb.ref('cpuSpeed'))).as('cpu'),
      (eb) => eb.fn.sum<number>('memory').as('mem'),
    ])
    .where('removed', 'is', null)
    .where('hostId', 'is not', null)
    .groupBy('hostId')
    .execute();
  const byHost = new Map(placed.map((p) => [p.hostId, p]));
  for (const h of hosts) {
    const p = byHost.get(h.id);
    if (Number(h.cpuUsed) !== Number(p?.cpu ?? 0))
      broken.push(`host ${h.name}: cpuUsed ${h.cpuUsed} but its VMs reserve ${p?.cpu ?? 0}`);
    if (Number(h.memoryUsed) !== Number(p?.mem ?? 0) * MiB)
      broken.push(`host ${h.name}: memoryUsed ${h.memoryUsed} but its VMs reserve ${Number(p?.mem ?? 0) * MiB}`);
  }
  const stray = await db
    .selectFrom('vms')
    .select(['id', 'state'])
    .where('removed', 'is', null)
    .where('hostId', 'is not', null)
    .where('state', 'not in', ['Starting', 'Running', 'Stopping', 'Migrating'])
    .execute();
  for (const v of stray) broken.push(`VM ${v.id} is ${v.state} but still holds a host`);
  const pools = await db.selectFrom('storagePools').select(['id', 'name', 'usedBytes']).execute();
  const onPools = await db
    .selectFrom('volumes')
    .select(['poolId', (eb) => eb.fn.sum<number>('size').as('bytes')])
    .where('removed', 'is', null)
    .where('poolId', 'is not', null)
    .groupBy('poolId')
    .execute();
  const byPool = new Map(onPools.map((p) => [p.poolId, Number(p.bytes)]));
  for (const p of pools)
    if (Number(p.usedBytes) !== (byPool.get(p.id) ?? 0))
      broken.push(`pool ${p.name}: usedBytes ${p.usedBytes} but its volumes take ${byPool.get(p.id) ?? 0}`);
  return broken;
}

/** VMs in a moving state with no unfinished job on them: stuck. */
export function stuckVms(db: Kysely<Database>): Promise<string[]> {
  return inSnapshot(db, stuckIn);
}

async function stuckIn(db: Transaction<Database>): Promise<string[]> {
  const moving = await db
    .selectFrom('vms')
    .select(['id', 'state'])
    .where('removed', 'is', null)
    .where('state', 'in', MOVING)
    .execute();
  if (!moving.length) return [];
  const pending = new Set(
    (await db.selectFrom('jobs').select('instanceId').where('status', '=', 0).execute()).map((j) => j.instanceId),
  );
  return moving.filter((v) => !pending.has(v.id)).map((v) => `VM ${v.id} is ${v.state} with no job moving it`);
}

/** Jobs still pending among those created at or before `before` (ms). */
export async function unfinishedJobs(
  db: Kysely<Database>,
  before: number,
): Promise<{ id: string; cmd: string; owner: string | null }[]> {
  return db
    .selectFrom('jobs')
    .select(['id', 'cmd', 'owner'])
    .where('status', '=', 0)
    .where('created', '<=', before)
    .execute();
}
