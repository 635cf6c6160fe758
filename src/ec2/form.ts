import { decodePercent } from '../domain/percent.js';
import { ec2Error } from './errors.js';

/** One `name=value` of a query string or form body, decoded. */
export type Pair = readonly [name: string, value: string];

/**
 * `a=1&b=x=y` as name/value pairs: split at the first `=` (a value may hold more), `+` is a space,
 * then percent-decoded. The parameters an action sees and the canonical query a SigV4 signature
 * covers are both read through here, so the two cannot disagree about a value. A malformed escape
 * (`%E0%A4%A`) is InvalidQueryParameter, never a 500.
 */
export function formPairs(raw: string): Pair[] {
  const out: Pair[] = [];
  for (const part of raw.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    out.push([decodeField(i < 0 ? part : part.slice(0, i)), decodeField(i < 0 ? '' : part.slice(i + 1))]);
  }
  return out;
}

function decodeField(s: string): string {
  const v = decodePercent(s.replace(/\+/g, ' '));
  if (v === undefined)
    throw ec2Error('InvalidQueryParameter', 'The AWS query string is malformed or does not adhere to AWS standards.');
  return v;
}
