import { cs } from './cloudstack';

/**
 * polystack's own control endpoints (/_polystack/...), which accept a root admin's console
 * session by its key: the session cookies are scoped to /client and never reach them.
 */
export async function control<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await fetch(`/_polystack/${path}${sep}sessionkey=${encodeURIComponent(cs.session?.sessionkey ?? '')}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new Error(json.error?.message ?? `HTTP ${res.status} from /_polystack/${path}`);
  return json as T;
}
