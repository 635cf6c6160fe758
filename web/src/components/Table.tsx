import { useState, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  label: string;
  render: (row: T) => ReactNode;
  /** The value to sort by; a column without one cannot be sorted. */
  sortValue?: (row: T) => string | number;
  numeric?: boolean;
}

export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

interface Props<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Controlled sort (e.g. kept in the URL); otherwise the table keeps its own. */
  sort?: SortState;
  onSort?: (s: SortState) => void;
  empty?: ReactNode;
  busy?: boolean;
}

export function sortRows<T>(rows: T[], columns: Column<T>[], sort: SortState | undefined): T[] {
  const col = sort && columns.find((c) => c.key === sort.key);
  if (!sort || !col?.sortValue) return rows;
  const f = col.sortValue;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = f(a);
    const y = f(b);
    return (
      sign *
      (typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y), undefined, { numeric: true }))
    );
  });
}

/**
 * A table whose sortable headers are buttons (reachable with Tab, toggled with Enter or Space)
 * and carry aria-sort, so the order is announced.
 */
export function Table<T>({ caption, columns, rows, rowKey, sort, onSort, empty, busy }: Props<T>) {
  const [own, setOwn] = useState<SortState | undefined>();
  const active = sort ?? own;
  const setSort = onSort ?? setOwn;
  const toggle = (key: string) => setSort({ key, dir: active?.key === key && active.dir === 'asc' ? 'desc' : 'asc' });
  const sorted = sortRows(rows, columns, active);
  return (
    <div className="table-wrap">
      <table aria-busy={busy || undefined}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const dir = active?.key === c.key ? active.dir : undefined;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={dir ? (dir === 'asc' ? 'ascending' : 'descending') : c.sortValue ? 'none' : undefined}
                >
                  {c.sortValue ? (
                    <button type="button" className="sort" onClick={() => toggle(c.key)}>
                      {c.label}
                      <span aria-hidden="true">{dir === 'asc' ? ' ▲' : dir === 'desc' ? ' ▼' : ' ↕'}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={rowKey(r)}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
          {!sorted.length && (
            <tr>
              <td colSpan={columns.length} className="muted empty">
                {empty ?? 'Nothing here yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

const PAGE_SIZES = [20, 50, 100, 500];

/** Previous/next and page size for a server-paged list (page/pagesize of the CloudStack list commands). */
export function Pager({
  page,
  pageSize,
  count,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  count: number;
  onPage: (p: number) => void;
  onPageSize: (n: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const first = count ? (page - 1) * pageSize + 1 : 0;
  const last = Math.min(count, page * pageSize);
  return (
    <nav className="pager" aria-label="Pages">
      <span role="status" aria-live="polite">
        {first.toLocaleString()}–{last.toLocaleString()} of {count.toLocaleString()}
      </span>
      <button type="button" onClick={() => onPage(1)} disabled={page <= 1} aria-label="First page">
        «
      </button>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
        ‹ Prev
      </button>
      <span>
        Page {page} of {pages.toLocaleString()}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages} aria-label="Next page">
        Next ›
      </button>
      <button type="button" onClick={() => onPage(pages)} disabled={page >= pages} aria-label="Last page">
        »
      </button>
      <label>
        Per page{' '}
        <select value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
    </nav>
  );
}
