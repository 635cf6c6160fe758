import { sql, type TableMetadata } from 'kysely';
import { dialectOf } from './dialect.js';
import type { Db } from './db.js';
import { portableIpStore } from './portableip.store.js';

/** Kysely's own bookkeeping is not part of the cloud's state, nor are the nodes serving it now. */
const INTERNAL = /^kysely_|^sqlite_|^managementServers$/;

/** The database's tables in the schema polystack writes to (PostgreSQL lists every schema's). */
async function ownTables(db: Db): Promise<TableMetadata[]> {
  const all = await db.introspection.getTables();
  if (dialectOf(db) !== 'postgres') return all;
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s;
  return all.filter((t) => !t.isView && t.schema === schema);
}

/** Tables of the cloud's state, as the database reports them (so tables added later are included). */
export async function stateTables(db: Db): Promise<string[]> {
  return (await ownTables(db))
    .map((t) => t.name)
    .filter((n) => !INTERNAL.test(n))
    .sort();
}

export async function columnsOf(db: Db, table: string): Promise<string[]> {
  const t = (await ownTables(db)).find((x) => x.name === table);
  return t ? t.columns.map((c) => c.name) : [];
}

export async function dumpTable(db: Db, table: string): Promise<Record<string, unknown>[]> {
  return (db as any).selectFrom(table).selectAll().execute();
}

export async function wipeTable(db: Db, table: string): Promise<void> {
  await (db as any).deleteFrom(table).execute();
}

export async function loadRows(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await (db as any)
      .insertInto(table)
      .values(rows.slice(i, i + 200))
      .execute();
  if (dialectOf(db) !== 'postgres') return;
  // A serial column's counter does not see ids loaded as values; the next row would collide with them.
  const t = (await ownTables(db)).find((x) => x.name === table);
  for (const c of t?.columns.filter((x) => x.isAutoIncrementing) ?? []) {
    await sql`SELECT setval(pg_get_serial_sequence(${`"${table}"`}, ${c.name}), coalesce(max(${sql.ref(c.name)}), 0) + 1, false) FROM ${sql.table(table)}`.execute(
      db,
    );
  }
}

/** Tables that carry an accountId column, i.e. hold an account's resources. */
export async function ownedTables(db: Db): Promise<string[]> {
  const out: string[] = [];
  for (const t of await ownTables(db)) {
    if (!INTERNAL.test(t.name) && t.columns.some((c) => c.name === 'accountId')) out.push(t.name);
  }
  return out;
}

/** Tables whose CloudStack rows are only marked removed, so their uuids keep resolving, by entity kind. */
const SOFT_DELETED: Readonly<Record<string, string>> = {
  vms: 'VirtualMachine',
  volumes: 'Volume',
  networks: 'Network',
  vpcs: 'Vpc',
  templates: 'Template',
  snapshots: 'Snapshot',
  vmSnapshots: 'VMSnapshot',
  instanceGroups: 'InstanceGroup',
  backups: 'Backup',
};

export async function deleteOwned(db: Db, table: string, accountId: string): Promise<void> {
  const kind = SOFT_DELETED[table];
  if (kind) {
    await sql`INSERT INTO tombstones (id, kind) SELECT id, ${kind} FROM ${sql.table(table)} WHERE "accountId" = ${accountId} ON CONFLICT DO NOTHING`.execute(
      db,
    );
  }
  await (db as any).deleteFrom(table).where('accountId', '=', accountId).execute();
}

/**
 * Host and pool usage recomputed from what VMs and volumes hold, after rows were removed
 * wholesale (account reset): the reservations are derived state and must equal their sum.
 */
export async function recomputeCapacity(db: Db): Promise<void> {
  await sql`UPDATE hosts SET
      "cpuUsed" = COALESCE((SELECT SUM(v."cpuNumber" * v."cpuSpeed") FROM vms v WHERE v."hostId" = hosts.id AND v.removed IS NULL), 0),
      "memoryUsed" = COALESCE((SELECT SUM(v.memory * 1048576) FROM vms v WHERE v."hostId" = hosts.id AND v.removed IS NULL), 0)`.execute(
    db,
  );
  await sql`UPDATE "storagePools" SET
      "usedBytes" = COALESCE((SELECT SUM(vol.size) FROM volumes vol WHERE vol."poolId" = "storagePools".id AND vol.removed IS NULL), 0)`.execute(
    db,
  );
}

/** Rows of an account's VMs in tables that name the VM but not the account (NICs, group links, ...). */
export async function deleteVmLinks(db: Db, accountId: string): Promise<void> {
  for (const t of await ownTables(db)) {
    const cols = t.columns.map((c) => c.name);
    if (INTERNAL.test(t.name) || !cols.includes('vmId') || cols.includes('accountId')) continue;
    await (db as any)
      .deleteFrom(t.name)
      .where('vmId', 'in', db.selectFrom('vms').select('id').where('accountId', '=', accountId))
      .execute();
  }
}

/** Public addresses and guest VLANs held by an account go back to the free pool. */
export async function releaseAccountNetworking(db: Db, accountId: string): Promise<void> {
  // A portable address goes back to its region's pool, its zone twin with it (disassociatePublicIpAddress).
  for (const ip of await portableIpStore.twinsOf(db, accountId)) await portableIpStore.release(db, ip);
  await db
    .updateTable('publicIps')
    .set({
      state: 'Free',
      accountId: null,
      domainId: null,
      networkId: null,
      vpcId: null,
      isSourceNat: 0,
      vmId: null,
      allocated: null,
    })
    .where('accountId', '=', accountId)
    .execute();
  await db
    .deleteFrom('guestVlans')
    .where('networkId', 'in', db.selectFrom('networks').select('id').where('accountId', '=', accountId))
    .execute();
  await db
    .deleteFrom('securityGroupRules')
    .where('securityGroupId', 'in', db.selectFrom('securityGroups').select('id').where('accountId', '=', accountId))
    .execute();
}
