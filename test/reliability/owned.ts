import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * A hash of everything one account owns, in the cloud's tables (every row with its accountId,
 * the rules of its security groups, the NICs of its VMs and on its networks, its VMs' group
 * links, who may launch its templates and where they are) and in the fronts' own stores: if another tenant's request changes any of it, the hash
 * moves. Jobs and events are left out: they record attempts, including refused ones.
 */
const sorted = (rows: unknown[]) => JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());

export async function ownedFingerprint(
  db: Kysely<any>,
  accountId: string,
  fronts: { db: Kysely<any>; table: string; column: string; value: string }[] = [],
): Promise<string> {
  const h = createHash('sha256');
  const tables = (await db.introspection.getTables()).filter(
    (t) => !/^(jobs|events|sessions)$/.test(t.name) && t.columns.some((c) => c.name === 'accountId'),
  );
  for (const t of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    h.update(t.name).update(
      sorted(await db.selectFrom(t.name).selectAll().where('accountId', '=', accountId).execute()),
    );
  }
  const ids = async (table: string) =>
    (await db.selectFrom(table).select('id').where('accountId', '=', accountId).execute()).map(
      (r: any) => r.id as string,
    );
  const [vms, groups, networks, templates] = [
    await ids('vms'),
    await ids('securityGroups'),
    await ids('networks'),
    await ids('templates'),
  ];
  const inList = (xs: string[]) => (xs.length ? xs : ['-']);
  h.update(
    sorted(
      await db.selectFrom('securityGroupRules').selectAll().where('securityGroupId', 'in', inList(groups)).execute(),
    ),
  );
  h.update(
    sorted(
      await db
        .selectFrom('nics')
        .selectAll()
        .where((eb: any) => eb.or([eb('vmId', 'in', inList(vms)), eb('networkId', 'in', inList(networks))]))
        .execute(),
    ),
  );
  h.update(sorted(await db.selectFrom('vmSecurityGroups').selectAll().where('vmId', 'in', inList(vms)).execute()));
  h.update(
    sorted(await db.selectFrom('launchPermissions').selectAll().where('templateId', 'in', inList(templates)).execute()),
  );
  h.update(
    sorted(await db.selectFrom('templateZones').selectAll().where('templateId', 'in', inList(templates)).execute()),
  );
  for (const f of fronts)
    h.update(sorted(await f.db.selectFrom(f.table).selectAll().where(f.column, '=', f.value).execute()));
  return h.digest('hex');
}
