import type { WireAnswers, WireError, WireLists } from '../cloudstack/wire.js';
import type { CloudStackPort, Credentials, CsParams } from './port.js';

/** A command a front sends, by the answer CloudStack gives it (src/cloudstack/wire.ts). */
export type CsCommand = keyof WireAnswers;

/** A command's answer: its body when it succeeded (200), else CloudStack's error. */
export type CsReply<C extends CsCommand> =
  { status: number; body: WireAnswers[C]; error?: undefined } | { status: number; body?: undefined; error: WireError };

/** How a front turns CloudStack's error (its status and text) into its own. */
export type CsFailure = (status: number, text: string) => Error;

/**
 * One CloudStack command, its answer typed by the command. The JSON is what the CloudStack views
 * write, and those are typed against the same wire interfaces: this is where the two meet, once.
 */
export async function wireCall<C extends CsCommand>(
  port: CloudStackPort,
  creds: Credentials,
  command: C,
  params: CsParams = {},
): Promise<CsReply<C>> {
  const r = await port.call(creds, command, params);
  if (r.status !== 200) return { status: r.status, error: r.body as WireError };
  return { status: r.status, body: r.body as WireAnswers[C] };
}

/** A reply's body; CloudStack's error becomes the front's (`fail`). */
export function wireBody<C extends CsCommand>(r: CsReply<C>, command: C, fail: CsFailure): WireAnswers[C] {
  if (r.error) throw fail(r.status, String(r.error.errortext ?? `CloudStack ${command} failed`));
  return r.body;
}

const PAGE = 500;

/** All pages of a CloudStack list, each asked through `page` (the front's own call: its scope and its errors). */
export async function wireList<C extends keyof WireLists, K extends keyof WireLists[C] & string>(
  page: (params: CsParams) => Promise<WireAnswers[C]>,
  key: K,
  params: CsParams = {},
): Promise<WireLists[C][K][]> {
  const out: WireLists[C][K][] = [];
  for (let n = 1; ; n++) {
    const body: Partial<Record<string, unknown>> = await page({ ...params, page: n, pagesize: PAGE });
    const items = (body[key] ?? []) as WireLists[C][K][];
    out.push(...items);
    if (items.length < PAGE || out.length >= Number(body['count'] ?? 0)) return out;
  }
}

/** A failed job's error text: its jobresult is CloudStack's error then (WireError). */
export function jobErrorText(j: { jobresult?: unknown }): string | undefined {
  const r = j.jobresult;
  return r && typeof r === 'object' && 'errortext' in r && r.errortext != null ? String(r.errortext) : undefined;
}
