import type { Kysely } from 'kysely';
import { createTables, I, PK, S, SN } from './tables.js';

/**
 * CloudStack's CA framework (RootCAProvider): the root CA's key and certificate (CloudStack keeps them
 * in hidden settings), the certificates it issued (what issueCertificate's job answers; CloudStack keeps
 * that answer in async_job), and the revoked serials (`crl`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      caRoots: [PK, S('privateKey'), S('certificate'), I('created')],
      caIssued: [PK, S('serial'), S('cn'), S('certificate'), SN('privateKey'), S('caCertificates'), I('created')],
      caRevoked: [PK, SN('cn'), I('created')],
    },
    [],
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['caRoots', 'caIssued', 'caRevoked']) await db.schema.dropTable(t).execute();
}
