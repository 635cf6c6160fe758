import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S } from './tables.js';

/** CloudStack's `annotations`: comments on an entity named by type and uuid, by a user, perhaps for admins only. */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      annotations: [
        PK,
        S('entityType'),
        S('entityId'),
        S('annotation'),
        S('userId'),
        I('adminsOnly'),
        I('created'),
        IN('removed'),
      ],
    },
    [['annotations', 'annotations_entity', ['entityId']]],
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('annotations').execute();
}
