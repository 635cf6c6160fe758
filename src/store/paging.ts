/** A page of a listing plus the total number of matches, as CloudStack's `count` reports. */
export interface Page<T> {
  items: T[];
  count: number;
}
export interface PageRequest {
  offset: number;
  limit: number;
}
export function pageOf<T>(all: T[], p?: PageRequest): Page<T> {
  return { items: p ? all.slice(p.offset, p.offset + p.limit) : all, count: all.length };
}
