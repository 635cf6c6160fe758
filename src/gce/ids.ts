import { createHash } from 'node:crypto';

/**
 * Ids and names, formatted in this one place for the GCE front.
 *
 * Numeric ids are derived, not stored: the first 60 bits of SHA-256 of the CloudStack UUID (or of
 * a stable seed for synthetic resources), as a decimal string. They are the same after a restart,
 * in every gateway process, and for instances the same number the GCE metadata server reports.
 */
export const numericId = (seed: string): string =>
  remember(ids, seed, () => BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 15)}`).toString());

// Listing 1,000 instances derives thousands of ids and fingerprints per request: hashes are remembered.
const ids = new Map<string, string>();
const prints = new Map<string, string>();
function remember(cache: Map<string, string>, key: string, make: () => string): string {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size >= 100_000) cache.clear();
    v = make();
    cache.set(key, v);
  }
  return v;
}

/** GCE's rule for resource names (RFC 1035 label). */
export const NAME_RE = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
export const NAME_RULE = "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'";

/** A CloudStack name (`Small Instance`, `CentOS 5.3(64-bit)`) as a GCE name: lower case, dashes, 63 chars. */
export function slug(name: string): string {
  let s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(s)) s = `x-${s}`;
  return s.slice(0, 63).replace(/-+$/, '');
}

/** RFC 3339 with milliseconds and an explicit offset, as Compute Engine writes timestamps. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

/** CloudStack dates (`2024-05-01T12:34:56+0000`) as epoch ms. */
export const csTime = (s: unknown): number =>
  typeof s === 'string' && s ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : 0;

/** A fingerprint over a value: 8 bytes of its hash, base64, so any change gives a new one. */
export const fingerprint = (value: unknown): string => {
  const text = JSON.stringify(value ?? null);
  return remember(prints, text, () => createHash('sha256').update(text).digest().subarray(0, 8).toString('base64'));
};

/** Absolute resource URLs (https, as libcloud requires) under a configurable base. */
export class Links {
  constructor(
    readonly base: string,
    readonly project: string,
  ) {}
  projectLink(p = this.project): string {
    return `${this.base}projects/${p}`;
  }
  zone(z: string): string {
    return `${this.projectLink()}/zones/${z}`;
  }
  region(r: string): string {
    return `${this.projectLink()}/regions/${r}`;
  }
  zonal(z: string, collection: string, name?: string): string {
    return `${this.zone(z)}/${collection}${name === undefined ? '' : `/${name}`}`;
  }
  regional(r: string, collection: string, name?: string): string {
    return `${this.region(r)}/${collection}${name === undefined ? '' : `/${name}`}`;
  }
  global(collection: string, name?: string, project = this.project): string {
    return `${this.projectLink(project)}/global/${collection}${name === undefined ? '' : `/${name}`}`;
  }
  /** A project-relative path (`projects/p/zones/z/instances/n`), as error messages quote it. */
  relative(link: string): string {
    return link.startsWith(this.base) ? link.slice(this.base.length) : link;
  }
}

/** A reference to another resource, as clients send it: full URL, `projects/p/...`, `zones/z/...`, `global/...` or a bare name. */
export interface Ref {
  project?: string;
  zone?: string;
  region?: string;
  collection?: string;
  name: string;
  /** Set for `.../images/family/<family>`. */
  family?: string;
}

export function parseRef(ref: string): Ref {
  let path = ref.replace(/^https?:\/\/[^/]+\//, '').replace(/^(compute\/v1\/|compute\/beta\/)/, '');
  const out: Partial<Ref> = {};
  const take = (key: 'project' | 'zone' | 'region', prefix: RegExp) => {
    const m = prefix.exec(path);
    if (m) {
      out[key] = m[1];
      path = path.slice(m[0].length);
    }
  };
  take('project', /^projects\/([^/]+)\/?/);
  take('zone', /^zones\/([^/]+)\/?/);
  take('region', /^regions\/([^/]+)\/?/);
  path = path.replace(/^global\//, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length >= 3 && parts[1] === 'family')
    return { ...out, collection: parts[0], name: parts[2]!, family: parts[2] };
  if (parts.length >= 2) return { ...out, collection: parts[0], name: parts[parts.length - 1]! };
  return { ...out, name: parts[0] ?? out.zone ?? out.region ?? out.project ?? '' };
}
