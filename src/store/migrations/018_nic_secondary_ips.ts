import type { Kysely } from 'kysely';
import { createTables, I, PK, S } from './tables.js';

/** Secondary guest addresses of NICs (CloudStack's nic_secondary_ips). */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      nicSecondaryIps: [
        PK,
        S('nicId'),
        S('vmId'),
        S('networkId'),
        S('ipAddress'),
        I('ipNum'),
        S('accountId'),
        S('domainId'),
        I('created'),
      ],
    },
    [
      ['nicSecondaryIps', 'nic_secondary_ips_nic', ['nicId']],
      // One address of a network is held once, whether by a NIC or as a secondary address.
      ['nicSecondaryIps', 'nic_secondary_ips_network_ip', ['networkId', 'ipNum'], true],
    ],
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('nicSecondaryIps').execute();
}
