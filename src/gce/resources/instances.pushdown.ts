import type { CsParams } from '../../bridge/port.js';
import type { Required } from '../filter.js';

/**
 * The part of an instances.list filter CloudStack can apply while listing, so a filtered list reads
 * the VMs that may match instead of the zone's. Only required terms (filter.ts) are handed down,
 * and only as parameters whose answer holds every VM that matches: the filter itself still decides
 * on the rendered instances, so what CloudStack lets through in excess costs time, never a result.
 *
 * - `name = x` / `name eq x` with a literal name: `keyword=x`, a case-insensitive substring of the
 *   name (and display name), which also finds `Web-1` made through CloudStack and shown as `web-1`
 *   (`name=` is exact and case-sensitive in CloudStack's simulator and would miss it). A glob
 *   (`name = web-*`) hands down its longest literal piece the same way.
 * - `labels.k = v` / `labels.k eq v` with a literal value: `tags[i].key=k&tags[i].value=v`; labels
 *   are the VM's resource tags unchanged (labels.ts).
 */
const NAME_PIECE = /^[A-Za-z0-9-]{2,}$/;
const LITERAL_RE2 = /^[A-Za-z0-9_-]+$/;

/** The literal text a term demands (the value, or a glob's longest piece), if it can be read as one. */
function literal(t: Required): { text: string; whole: boolean } | undefined {
  if (t.op === 'eq') return LITERAL_RE2.test(t.value) ? { text: t.value, whole: true } : undefined;
  if (t.op !== '=') return undefined;
  if (!t.value.includes('*')) return { text: t.value, whole: true };
  const piece = t.value.split('*').reduce((a, b) => (b.length > a.length ? b : a), '');
  return piece ? { text: piece, whole: false } : undefined;
}

export function instancePushdown(required: Required[]): CsParams {
  let keyword: string | undefined;
  const tags: Record<string, string>[] = [];
  for (const t of required) {
    const lit = literal(t);
    if (!lit) continue;
    if (t.field === 'name' && !keyword && NAME_PIECE.test(lit.text)) keyword = lit.text;
    const key = t.field.startsWith('labels.') ? t.field.slice('labels.'.length) : '';
    if (key && !key.includes('.') && lit.whole && lit.text) tags.push({ key, value: lit.text });
  }
  return { ...(keyword ? { keyword } : {}), ...(tags.length ? { tags } : {}) };
}
