/**
 * A request that never got an answer (refused, no route, bad host name) as a message that names the
 * URL and what to do: fetch itself only says "fetch failed" and hides the reason in `cause`.
 */
export function requestFailure(url: string, err: unknown): Error {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  const hint = cause?.code === 'ECONNREFUSED' ? ': is it running? (`polystack serve`, or give the right --url)' : '';
  return new Error(`cannot reach ${url} (${why})${hint}`, { cause: err });
}
