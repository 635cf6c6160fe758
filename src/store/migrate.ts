import { Migrator, sql, type Kysely, type Migration } from 'kysely';

/** Migrations are numbered by the change that added them, not by the order they land in. */
export async function migrate(db: Kysely<any>, migrations: Record<string, Migration>): Promise<void> {
  // Kysely's migrator reads every table's columns before it looks at what was applied (2.5 ms of SQLite
  // a start, and most of the fast test tier's schema reads); a database that has them all skips it.
  if (await allApplied(db, Object.keys(migrations))) return;
  const migrator = new Migrator({
    db,
    allowUnorderedMigrations: true,
    provider: { getMigrations: async () => migrations },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/** Whether the database records exactly these migrations as applied (no table yet: it does not). */
async function allApplied(db: Kysely<any>, names: string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    // One it does not know (a newer polystack's) goes to the migrator too, which refuses it as before.
    return applied.size === names.length && names.every((n) => applied.has(n));
  } catch {
    // No migration table: a new database, which the migrator creates.
    return false;
  }
}
