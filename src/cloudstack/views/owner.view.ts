import type { Lookup } from '../../services/lookup.service.js';

/** account/domain naming fields most CloudStack objects carry; a project's resources name the project instead (populateOwner). */
export async function ownerFields(
  lk: Lookup,
  accountId: string | null,
  domainId: string | null,
): Promise<Record<string, string>> {
  const [accounts, domains] = await Promise.all([lk.table('accounts'), lk.table('domains')]);
  const out: Record<string, string> = {};
  if (accountId) {
    const a = accounts.get(accountId);
    const project =
      a?.type === 5 ? [...(await lk.table('projects')).values()].find((p) => p.projectAccountId === a.id) : undefined;
    if (project) {
      out['projectid'] = project.id;
      out['project'] = project.name;
    } else if (a) {
      out['account'] = a.name;
      out['accountid'] = a.id;
    }
  }
  if (domainId) {
    const d = domains.get(domainId);
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
