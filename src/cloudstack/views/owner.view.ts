import type { Lookup } from '../../services/lookup.service.js';

/** account/domain naming fields most CloudStack objects carry. */
export async function ownerFields(lk: Lookup, accountId: string | null, domainId: string | null): Promise<Record<string, string>> {
  const [accounts, domains] = await Promise.all([lk.table('accounts'), lk.table('domains')]);
  const out: Record<string, string> = {};
  if (accountId) {
    const a = accounts.get(accountId);
    if (a) {
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

export type TagList = { key: string; value: string; resourcetype: string; resourceid: string; account?: string; domainid: string; domain?: string; customer?: string }[];
