import { createHash } from 'node:crypto';
import type { InstanceFacts } from '../services/compute/metadata.service.js';

/** A uint64 decimal id derived from a CloudStack id, as GCE shows numeric ids. */
const numericId = (s: string) => BigInt(`0x${createHash('sha256').update(s).digest('hex').slice(0, 15)}`).toString();

/**
 * The GCE metadata server's tree for an instance: attributes are its user data (as `user-data` and,
 * for scripts, `startup-script`), its SSH keys (`ssh-keys`) and its tags.
 */
export function gceTree(f: InstanceFacts): Record<string, unknown> {
  const attributes: Record<string, string> = { ...f.tags };
  if (f.userData) {
    attributes['user-data'] = f.userData;
    if (f.userData.startsWith('#!')) attributes['startup-script'] = f.userData;
  }
  if (f.publicKeys.length) attributes['ssh-keys'] = f.publicKeys.map((k) => `${k.name}:${k.key}`).join('\n');
  return {
    instance: {
      id: numericId(f.id),
      name: f.name,
      hostname: `${f.name}.c.polystack.internal`,
      zone: `projects/000000000000/zones/${f.zone}`,
      'machine-type': `projects/000000000000/machineTypes/${f.offering.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      image: f.template,
      'network-interfaces': [
        {
          ip: f.privateIp ?? '',
          mac: f.mac ?? '',
          network: 'projects/000000000000/networks/default',
          'access-configs': f.publicIp ? [{ 'external-ip': f.publicIp, type: 'ONE_TO_ONE_NAT' }] : [],
        },
      ],
      attributes,
      tags: Object.keys(f.tags),
      'service-accounts': {},
    },
    project: { 'project-id': 'polystack', 'numeric-project-id': '000000000000', attributes: {} },
  };
}

/** Walks `instance/network-interfaces/0/ip`; a directory answers its keys, one per line (dirs end with /). */
export function walk(
  tree: Record<string, unknown>,
  path: string,
  recursive: boolean,
): { json?: unknown; text?: string } | undefined {
  let node: unknown = tree;
  for (const part of path.split('/').filter(Boolean)) {
    if (node === null || typeof node !== 'object') return undefined;
    // `path` is already decoded (Fastify's wildcard): a second decode threw on `%25E0` (a 500).
    if (!Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
    if (node === undefined) return undefined;
  }
  if (node !== null && typeof node === 'object') {
    if (recursive) return { json: node };
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    return { text: entries.map(([k, v]) => (v !== null && typeof v === 'object' ? `${k}/` : k)).join('\n') + '\n' };
  }
  return { text: String(node) };
}
