import { invalidField, required } from './errors.js';
import { NAME_RE, NAME_RULE } from './ids.js';
import type { MetadataItem } from './store/store.js';

/** Compute Engine's input rules, with its error texts, checked before anything reaches CloudStack. */

export function checkName(value: unknown, field = 'resource.name'): string {
  if (value === undefined || value === null || value === '') throw required(field);
  if (typeof value !== 'string' || !NAME_RE.test(value)) throw invalidField(field, value, NAME_RULE);
  return value;
}

const METADATA_KEY = /^[a-zA-Z0-9_-]{1,128}$/;
const METADATA_MAX_BYTES = 512 * 1024;

export function checkMetadata(m: unknown, field = 'resource.metadata'): MetadataItem[] {
  if (m === undefined || m === null) return [];
  if (typeof m !== 'object') throw invalidField(field, m, 'Metadata must be an object.');
  const items = (m as { items?: unknown }).items ?? [];
  if (!Array.isArray(items)) throw invalidField(`${field}.items`, items, 'Must be a list.');
  const seen = new Set<string>();
  let bytes = 0;
  const out: MetadataItem[] = [];
  for (const [i, it] of items.entries()) {
    const key = (it as MetadataItem)?.key;
    const value = (it as MetadataItem)?.value ?? '';
    if (typeof key !== 'string' || !METADATA_KEY.test(key))
      throw invalidField(`${field}.items[${i}].key`, key ?? '', "Must be a match of regex '[a-zA-Z0-9-_]{1,128}'");
    if (typeof value !== 'string') throw invalidField(`${field}.items[${i}].value`, value, 'Must be a string.');
    if (seen.has(key)) throw invalidField(`${field}.items[${i}].key`, key, 'Duplicate metadata key.');
    seen.add(key);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
    out.push({ key, value });
  }
  if (bytes > METADATA_MAX_BYTES)
    throw invalidField(field, '...', `Metadata total size must not exceed ${METADATA_MAX_BYTES} bytes.`);
  return out;
}

const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

export function checkLabels(labels: unknown, field = 'resource.labels'): Record<string, string> {
  if (labels === undefined || labels === null) return {};
  if (typeof labels !== 'object' || Array.isArray(labels)) throw invalidField(field, labels, 'Labels must be a map.');
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > 64) throw invalidField(field, '...', 'A resource can have at most 64 labels.');
  for (const [k, v] of entries) {
    if (!LABEL_KEY.test(k))
      throw invalidField(
        `${field}.${k}`,
        k,
        "Label keys must start with a lowercase letter and match '[a-z][a-z0-9_-]{0,62}'.",
      );
    if (typeof v !== 'string' || !LABEL_VALUE.test(v))
      throw invalidField(`${field}.${k}`, v, "Label values must match '[a-z0-9_-]{0,63}'.");
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

export function checkTags(tags: unknown, field = 'resource.tags'): string[] {
  if (tags === undefined || tags === null) return [];
  const items = (tags as { items?: unknown }).items ?? [];
  if (!Array.isArray(items)) throw invalidField(`${field}.items`, items, 'Must be a list.');
  if (items.length > 64) throw invalidField(`${field}.items`, '...', 'An instance can have at most 64 tags.');
  items.forEach((t, i) => {
    if (typeof t !== 'string' || !NAME_RE.test(t)) throw invalidField(`${field}.items[${i}]`, t, NAME_RULE);
  });
  return [...new Set(items as string[])];
}

export const item = (items: MetadataItem[], key: string): string | undefined => items.find((i) => i.key === key)?.value;
