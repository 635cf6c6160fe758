import { useEffect, useState } from 'react';

/** Where the console is: the part of location.hash before '?', and its query. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const i = hash.indexOf('?');
  return { path: i < 0 ? hash : hash.slice(0, i), query: new URLSearchParams(i < 0 ? '' : hash.slice(i + 1)) };
}

/** A link target: hash routes keep every page reachable by URL without the server knowing the routes. */
export function href(path: string, query?: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function navigate(path: string, query?: Record<string, string | number | undefined>, replace = false): void {
  const target = href(path, query);
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** The query of the current route as an object, and a setter that merges into it (filters, page, sort). */
export function useQueryState(
  route: Route,
): [Record<string, string>, (patch: Record<string, string | number | undefined>, replace?: boolean) => void] {
  const values = Object.fromEntries(route.query);
  const set = (patch: Record<string, string | number | undefined>, replace = true) =>
    navigate(route.path, { ...values, ...patch }, replace);
  return [values, set];
}
