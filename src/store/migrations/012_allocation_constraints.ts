import { sql, type Kysely } from 'kysely';

/**
 * Two live NICs of one network never share an address, whichever node handed them out; expunged
 * NICs keep their rows, so the rule covers live ones only (a partial index, on both databases).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('nics_network_ip_live')
    .unique()
    .on('nics')
    .columns(['networkId', 'ipNum'])
    .where(sql.ref('removed'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('nics_network_ip_live').execute();
}
