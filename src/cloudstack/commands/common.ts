import type { ListScope } from '../../services/identity/scope.js';
import type { PageRequest } from '../../store/paging.js';
import type { Services } from '../../services/services.js';
import { CsError, csErrors } from '../errors.js';
import { isUuid } from '../../domain/ids.js';
import type { Params } from '../params.js';

/** The listall/account/domainid/isrecursive parameters every list command shares, and the id it names. */
export function listScope(p: Params): ListScope {
  return {
    listAll: p.bool('listall', false),
    account: p.str('account'),
    domainId: p.uuid('domainid'),
    isRecursive: p.bool('isrecursive', false),
    projectId: p.str('projectid'),
    id: p.str('id'),
  };
}

/** BaseListCmd's page/pagesize rules; undefined means everything. */
export function paging(p: Params, s: Services): PageRequest | undefined {
  const page = p.int('page');
  const size = p.int('pagesize');
  const max = s.config.num('default.page.size', 500);
  if (size !== undefined && page === undefined && size !== -1)
    throw new CsError(431, '"page" parameter is required when "pagesize" is specified', 4350);
  if (size === -1) {
    if (page !== undefined)
      throw new CsError(431, `Can't specify page parameter when pagesize is -1 (Unlimited)`, 4350);
    return undefined;
  }
  if (size !== undefined && size > max)
    throw new CsError(431, `Page size can't exceed max allowed page size value: ${max}`, 4350);
  // BaseListCmd.getStartIndex: a page below 1 is the first page. A pagesize of 0 (or another negative
  // than -1) goes to the database as LIMIT n, 0 and answers the count with no items.
  const limit = Math.max(size ?? max, 0);
  return { offset: Math.max((page ?? 1) - 1, 0) * limit, limit };
}

export function slice<T>(items: T[], page: PageRequest | undefined): T[] {
  return page ? items.slice(page.offset, page.offset + page.limit) : items;
}

/** `tags[i].key` / `tags[i].value` pairs of a list filter or createTags. */
export function tagPairs(p: Params, name = 'tags'): { key: string; value: string }[] {
  return (p.map(name) ?? []).map((t) => ({ key: t['key'] ?? '', value: t['value'] ?? '' }));
}

/** Ids of resources carrying all the requested tags, or undefined when no tag filter is given. */
export async function taggedIds(p: Params, s: Services): Promise<string[] | undefined> {
  const wanted = (p.map('tags') ?? []).map((t) => ({ key: t['key'], value: t['value'] }));
  return s.tags.matching(wanted);
}

/** A list parameter of uuids; each must be well-formed, as the server's converter requires. */
export function uuidList(p: Params, name: string): string[] | undefined {
  const l = p.list(name);
  for (const v of l ?? []) if (!isUuid(v)) throw csErrors.badId(p.command, name, v);
  return l;
}

/** Applies the `tags[i]` filter and the `ids` list, where a command has them, to items already scoped. */
export async function filterByTagsAndIds<T extends { id: string }>(p: Params, s: Services, items: T[]): Promise<T[]> {
  const tagged = await taggedIds(p, s);
  const ids = p.has('ids') ? uuidList(p, 'ids') : undefined;
  return items.filter((i) => (!tagged || tagged.includes(i.id)) && (!ids || ids.includes(i.id)));
}

const DOMAIN_DETAILS = ['all', 'resource', 'min'];
/**
 * ListAccountsCmd / ListDomainsCmd.getDetails: `details` (DomainDetails.valueOf, case as written;
 * `all` when absent) and whether it asks for the limits and counts, which `all` and `resource` do.
 */
export function wantsResourceDetails(p: Params): boolean {
  const details = p.list('details');
  if (!details?.length) return true;
  if (details.some((d) => !DOMAIN_DETAILS.includes(d)))
    throw new CsError(
      431,
      `The details parameter contains a non permitted value. The allowed values are [${DOMAIN_DETAILS.join(', ')}]`,
      4350,
    );
  return details.some((d) => d !== 'min');
}
