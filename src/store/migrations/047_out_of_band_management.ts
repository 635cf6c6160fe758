import type { Kysely } from 'kysely';
import { createTables, I, PK, S, SN } from './tables.js';

/**
 * Out-of-band management (the `oobm` table): a host's BMC driver, address and credentials, whether it is
 * enabled and the last power state read; and the zones and clusters it is switched on or off for
 * (CloudStack's `outOfBandManagementEnabled` zone and cluster details).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      oobm: [
        PK,
        I('enabled'),
        S('powerState'),
        SN('driver'),
        SN('address'),
        SN('port'),
        SN('username'),
        SN('password'),
        I('created'),
      ],
      oobmScopes: [PK, I('enabled')],
    },
    [],
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['oobm', 'oobmScopes']) await db.schema.dropTable(t).execute();
}
