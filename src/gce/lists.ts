import { GceError, invalidParameter } from './errors.js';
import { parseFilter, type Predicate } from './filter.js';

/**
 * List methods: `filter`, `orderBy`, `maxResults` (0-500, default 500) and `pageToken`, applied to
 * the rendered resources, and the two envelopes (list, aggregatedList with per-scope warnings).
 */
export interface ListQuery {
  filter?: string;
  orderBy?: string;
  maxResults: number;
  offset: number;
  includeAllScopes: boolean;
}

type Item = Record<string, unknown>;

export function listQuery(q: Record<string, string | undefined>): ListQuery {
  const max = q['maxResults'] === undefined || q['maxResults'] === '' ? 500 : Number(q['maxResults']);
  if (!Number.isInteger(max) || max < 0 || max > 500)
    throw invalidParameter('maxResults', String(q['maxResults']), 'It must be between 0 and 500');
  let offset = 0;
  if (q['pageToken']) {
    const m = /^o(\d+)$/.exec(Buffer.from(q['pageToken'], 'base64url').toString());
    if (!m) throw new GceError(400, 'invalid', `Invalid value for field 'pageToken': '${q['pageToken']}'.`);
    offset = Number(m[1]);
  }
  const orderBy = q['orderBy']?.trim() || undefined;
  if (orderBy && !/^(name|creationTimestamp)( (asc|desc))?$/.test(orderBy))
    throw new GceError(
      400,
      'invalid',
      `Invalid value for field 'orderBy': '${orderBy}'. Supported values: 'name', 'creationTimestamp desc'.`,
    );
  return {
    filter: q['filter']?.trim() || undefined,
    orderBy,
    maxResults: max === 0 ? 500 : max,
    offset,
    includeAllScopes: q['includeAllScopes'] === 'true',
  };
}

/** listQuery, with the filter parsed too: for lists whose listing writes (operations catch up with their jobs), so a bad query is refused first. */
export function checkedListQuery(q: Record<string, string | undefined>, fields?: ReadonlySet<string>): ListQuery {
  const query = listQuery(q);
  if (query.filter) parseFilter(query.filter, fields);
  return query;
}

/** The filter parsed once per request: its regular expressions share one step budget across every scope. */
const predicate = (q: ListQuery, fields?: ReadonlySet<string>): Predicate | undefined =>
  q.filter ? parseFilter(q.filter, fields) : undefined;

/** Filter and order (default: by name), before paging. */
function select(items: Item[], q: ListQuery, keep: Predicate | undefined): Item[] {
  let out = keep ? items.filter(keep) : [...items];
  const [field, dir] = (q.orderBy ?? 'name').split(' ') as [string, string | undefined];
  const sign = dir === 'desc' ? -1 : 1;
  out = out.sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
  return out;
}

function pageOf<T>(items: T[], q: ListQuery): { page: T[]; next?: string } {
  const page = items.slice(q.offset, q.offset + q.maxResults);
  const end = q.offset + q.maxResults;
  return { page, next: end < items.length ? Buffer.from(`o${end}`).toString('base64url') : undefined };
}

/** `{kind: compute#<type>List, id, items, nextPageToken, selfLink}`; `items` left out when empty, as Google does. */
export function list(
  kind: string,
  selfLink: string,
  id: string,
  items: Item[],
  q: ListQuery,
  fields?: ReadonlySet<string>,
): Item {
  const { page, next } = pageOf(select(items, q, predicate(q, fields)), q);
  return envelope(kind, selfLink, id, page, next);
}

/** The list envelope around one page already chosen (lists paged at the source). */
export function envelope(kind: string, selfLink: string, id: string, page: Item[], next: string | undefined): Item {
  return { kind, id, ...(page.length ? { items: page } : {}), ...(next ? { nextPageToken: next } : {}), selfLink };
}

/** One scope of an aggregatedList: `zones/<z>`, `regions/<r>` or `global`, and its items. */
export interface Scope {
  key: string;
  items: Item[];
}

export function aggregated(
  kind: string,
  collection: string,
  selfLink: string,
  id: string,
  scopes: Scope[],
  q: ListQuery,
  fields?: ReadonlySet<string>,
): Item {
  const keep = predicate(q, fields);
  const tagged = scopes.flatMap((s) => select(s.items, q, keep).map((item) => ({ scope: s.key, item })));
  const { page, next } = pageOf(tagged, q);
  const out: Record<string, unknown> = {};
  for (const s of scopes) {
    const mine = page.filter((p) => p.scope === s.key).map((p) => p.item);
    out[s.key] = mine.length
      ? { [collection]: mine }
      : {
          warning: {
            code: 'NO_RESULTS_ON_PAGE',
            message: `There are no results for scope '${s.key}' on this page.`,
            data: [{ key: 'scope', value: s.key }],
          },
        };
  }
  return { kind, id, items: out, ...(next ? { nextPageToken: next } : {}), selfLink, unreachables: [] };
}
