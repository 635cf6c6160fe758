import { globMatcher } from '../domain/glob.js';
import { ec2Error } from './errors.js';

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** How to read a filter's values off an item; `tag:<key>`, `tag-key`, `tag-value` come for free. */
export type Readers<T> = Record<string, (item: T) => (string | number | boolean | undefined)[]>;

type Tags = readonly { Key?: string; Value?: string }[];

/** An item's Tags; items of a kind without tags have none (and match no tag filter). */
const tagsOf = (i: object): Tags => (i as { Tags?: Tags }).Tags ?? [];

/** AWS's bound on the values of one call's filters, all filters together. */
export const MAX_FILTER_VALUES = 200;

/**
 * Filters AND'ed, values OR'ed, `*` and `?` wildcards (`\*`, `\?`, `\\` literal); an unknown filter
 * name is InvalidParameterValue, more than 200 values FilterLimitExceeded.
 */
export function applyFilters<T extends object>(items: T[], filters: Filter[] | undefined, readers: Readers<T>): T[] {
  if (!filters?.length) return items;
  if (filters.reduce((n, f) => n + (f.Values?.length ?? 0), 0) > MAX_FILTER_VALUES)
    throw ec2Error(
      'FilterLimitExceeded',
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
    );
  const tests = filters.map((f) => {
    const name = f.Name ?? '';
    const values = (f.Values ?? []).map((v) => globMatcher(v, { one: true, escapes: true }));
    const read: ((i: T) => unknown[]) | undefined = name.startsWith('tag:')
      ? (i) =>
          tagsOf(i)
            .filter((t) => t.Key === name.slice(4))
            .map((t) => t.Value)
      : name === 'tag-key'
        ? (i) => tagsOf(i).map((t) => t.Key)
        : name === 'tag-value'
          ? (i) => tagsOf(i).map((t) => t.Value)
          : Object.hasOwn(readers, name)
            ? readers[name]
            : undefined;
    if (!read) throw ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
    return (i: T) => read(i).some((v) => v !== undefined && values.some((matches) => matches(String(v))));
  });
  return items.filter((i) => tests.every((t) => t(i)));
}

/** The filters' names and value count checked as applyFilters checks them, for an action that must refuse before it writes. */
export function checkFilterNames(filters: Filter[] | undefined, names: readonly string[]): void {
  applyFilters<{ Tags?: { Key?: string; Value?: string }[] }>(
    [],
    filters,
    Object.fromEntries(names.map((n) => [n, () => []])),
  );
}
