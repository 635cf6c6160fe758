import type { Wire, WireTag } from '../wire.js';
import type { Tag } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';

export async function tagView(lk: Lookup, t: Tag): Promise<Wire<WireTag>> {
  const [accounts, domains] = await Promise.all([lk.table('accounts'), lk.table('domains')]);
  const v: Wire<WireTag> = {
    key: t.key,
    value: t.value,
    resourcetype: t.resourceType,
    resourceid: t.resourceId,
    account: accounts.get(t.accountId)?.name,
    domainid: t.domainId,
    domain: domains.get(t.domainId)?.name,
  };
  if (t.customer) v['customer'] = t.customer;
  return v;
}

export async function tagsView(lk: Lookup, tags: Tag[] | undefined): Promise<Wire<WireTag>[]> {
  return Promise.all((tags ?? []).map((t) => tagView(lk, t)));
}
