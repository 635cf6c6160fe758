import { useRef } from 'react';
import { Pager } from '../../components/Table';
import { useQueryState, type Route } from '../../router';

/**
 * The state of a server-paged list kept in the URL: its filters, page and page size. A change of
 * filter goes back to the first page; the page itself is a history entry (Back returns to it).
 */
export function useListing(route: Route, defaultSize = 50) {
  const [q, setQ] = useQueryState(route);
  const page = Number(q.page ?? 1);
  const pagesize = Number(q.pagesize ?? defaultSize);
  return {
    q,
    filter: (patch: Record<string, string | undefined>) =>
      setQ({ ...Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v || undefined])), page: undefined }),
    paging: { page, pagesize },
    pager: (count: number) => (
      <Pager
        page={page}
        pageSize={pagesize}
        count={count}
        onPage={(p) => setQ({ page: p }, false)}
        onPageSize={(n) => setQ({ pagesize: n, page: undefined })}
      />
    ),
  };
}

/**
 * Stops a detail page's reloads once its resource is being deleted: CloudStack answers a list by
 * an id that is gone with a 431, which the browser logs as a failed request, and the page is about
 * to leave anyway. A delete that fails lets the reloads resume.
 */
export function useRemoval() {
  const gone = useRef(false);
  return {
    live: (reload: () => void) => () => {
      if (!gone.current) reload();
    },
    remove: async (f: () => Promise<unknown>) => {
      gone.current = true;
      try {
        await f();
      } catch (e) {
        gone.current = false;
        throw e;
      }
    },
  };
}
