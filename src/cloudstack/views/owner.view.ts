import type { Database } from '../../store/schema.js';
import type { Lookup } from '../../services/lookup.service.js';

type Table<K extends 'accounts' | 'domains'> = Map<string, Database[K]>;

/** The tables ownerFieldsOf reads, once for a page. */
export interface OwnerTables {
  accounts: Table<'accounts'>;
  domains: Table<'domains'>;
  /** Projects by their project account's id. */
  projectOf: Map<string, { id: string; name: string }>;
}

export async function ownerTables(lk: Lookup): Promise<OwnerTables> {
  const [accounts, domains, projects] = await Promise.all([
    lk.table('accounts'),
    lk.table('domains'),
    lk.table('projects'),
  ]);
  return { accounts, domains, projectOf: projectsOf(projects) };
}

/** ownerTables with only the accounts and domains of a page's items (and of what they show, e.g. their tags). */
export async function ownerTablesOf(lk: Lookup, accountIds: string[], domainIds: string[]): Promise<OwnerTables> {
  const [accounts, domains] = await Promise.all([lk.rows('accounts', accountIds), lk.rows('domains', domainIds)]);
  // Only a project's account names a project: without one on the page the projects are not read.
  const anyProject = [...accounts.values()].some((a) => a.type === 5);
  return { accounts, domains, projectOf: anyProject ? projectsOf(await lk.table('projects')) : new Map() };
}

function projectsOf(projects: Map<string, { id: string; name: string; projectAccountId: string }>) {
  const projectOf = new Map<string, { id: string; name: string }>();
  // The first project of an account, as a search of the table in its order finds it.
  for (const p of projects.values()) if (!projectOf.has(p.projectAccountId)) projectOf.set(p.projectAccountId, p);
  return projectOf;
}

/** account/domain naming fields most CloudStack objects carry; a project's resources name the project instead (populateOwner). */
export async function ownerFields(
  lk: Lookup,
  accountId: string | null,
  domainId: string | null,
): Promise<Record<string, string>> {
  return ownerFieldsOf(await ownerTables(lk), accountId, domainId);
}

/** ownerFields from tables already read (a page's views share them). */
export function ownerFieldsOf(
  t: OwnerTables,
  accountId: string | null,
  domainId: string | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (accountId) {
    const a = t.accounts.get(accountId);
    const project = a?.type === 5 ? t.projectOf.get(a.id) : undefined;
    if (project) {
      out['projectid'] = project.id;
      out['project'] = project.name;
    } else if (a) {
      out['account'] = a.name;
      out['accountid'] = a.id;
    }
  }
  if (domainId) {
    const d = t.domains.get(domainId);
    out['domainid'] = domainId;
    if (d) {
      out['domain'] = d.name;
      out['domainpath'] = d.path;
    }
  }
  return out;
}

export type TagList = {
  key: string;
  value: string;
  resourcetype: string;
  resourceid: string;
  account?: string;
  domainid: string;
  domain?: string;
  customer?: string;
}[];
