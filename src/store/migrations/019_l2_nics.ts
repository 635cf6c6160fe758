import { sql, type Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN, type Col } from './tables.js';

/**
 * A NIC on an L2 network has no address, netmask or gateway (CloudStack leaves them null): the
 * table is rebuilt with those columns nullable, the same way on both dialects.
 */
const NICS = (ip: (n: string) => Col, num: (n: string) => Col): Col[] => [
  PK,
  S('vmId'),
  S('networkId'),
  ip('ipAddress'),
  num('ipNum'),
  ip('netmask'),
  ip('gateway'),
  S('macAddress'),
  I('isDefault'),
  I('deviceId'),
  SN('broadcastUri'),
  IN('removed'),
];

async function rebuild(db: Kysely<any>, cols: Col[]): Promise<void> {
  await createTables(db, { nicsNext: cols }, []);
  const names = cols.map((c) => c[0]);
  await db.insertInto('nicsNext').columns(names).expression(db.selectFrom('nics').select(names)).execute();
  await db.schema.dropTable('nics').execute();
  await db.schema.alterTable('nicsNext').renameTo('nics').execute();
  await db.schema.createIndex('nics_vm').on('nics').columns(['vmId']).execute();
  await db.schema.createIndex('nics_network_ip').on('nics').columns(['networkId', 'ipNum']).execute();
  // Addressless NICs hold no address: NULLs never clash in a unique index.
  await db.schema
    .createIndex('nics_network_ip_live')
    .unique()
    .on('nics')
    .columns(['networkId', 'ipNum'])
    .where(sql.ref('removed'), 'is', null)
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, NICS(SN, IN));
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('nics').where('ipAddress', 'is', null).execute();
  await rebuild(db, NICS(S, I));
}
