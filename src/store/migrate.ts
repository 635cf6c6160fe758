import { Migrator, type Kysely, type Migration } from 'kysely';

/** Migrations are numbered by the change that added them, not by the order they land in. */
export async function migrate(db: Kysely<any>, migrations: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({
    db,
    allowUnorderedMigrations: true,
    provider: { getMigrations: async () => migrations },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
