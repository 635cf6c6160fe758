import type { Wire, WireTag } from '../wire.js';
import type { Tag } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import type { OwnerTables } from './owner.view.js';

export async function tagView(lk: Lookup, t: Tag): Promise<Wire<WireTag>> {
  const [accounts, domains] = await Promise.all([lk.table('accounts'), lk.table('domains')]);
  return tagViewOf({ accounts, domains }, t);
}

/** tagView from tables already read (a page's views share them). */
export function tagViewOf(o: Pick<OwnerTables, 'accounts' | 'domains'>, t: Tag): Wire<WireTag> {
  const v: Wire<WireTag> = {
    key: t.key,
    value: t.value,
    resourcetype: t.resourceType,
    resourceid: t.resourceId,
    account: o.accounts.get(t.accountId)?.name,
    domainid: t.domainId,
    domain: o.domains.get(t.domainId)?.name,
  };
  if (t.customer) v['customer'] = t.customer;
  return v;
}

export async function tagsView(lk: Lookup, tags: Tag[] | undefined): Promise<Wire<WireTag>[]> {
  if (!tags?.length) return [];
  const [accounts, domains] = await Promise.all([lk.table('accounts'), lk.table('domains')]);
  return tags.map((t) => tagViewOf({ accounts, domains }, t));
}
