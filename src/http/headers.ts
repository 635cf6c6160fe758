/**
 * The longest value polystack puts in a response header it builds from request input. Error
 * texts echo ids and names a client sent (a 70,000-character id once came back whole in
 * CloudStack's X-Description); proxies and clients refuse heads over 8 KiB (Jetty's own response
 * header buffer is 8 KiB), so each such value stays at a small share of that.
 */
export const HEADER_VALUE_MAX = 1024;

/**
 * A header value made from text that may echo request input: visible ASCII only (anything else
 * becomes '?', as a servlet container writing ISO-8859-1 would, instead of failing the reply),
 * and at most `max` characters, cut with '...'.
 */
export function headerText(text: string, max = HEADER_VALUE_MAX): string {
  const safe = text.replace(/[^\x20-\x7e]/g, '?');
  return safe.length <= max ? safe : `${safe.slice(0, max - 3)}...`;
}
