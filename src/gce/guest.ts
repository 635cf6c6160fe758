import { createHash } from 'node:crypto';
import type { WireSshKeyPair } from '../cloudstack/wire.js';
import { csCall, csList, type GceContext } from './context.js';
import { fromCloudStack, invalidField } from './errors.js';
import { slug } from './ids.js';
import type { MetadataItem } from './store/store.js';
import { item } from './validate.js';

/**
 * What a guest gets from instance metadata, in CloudStack's terms: `user-data` (or, without it,
 * `startup-script`, run by cloud-init as a script) becomes the VM's user data; the public keys of
 * `ssh-keys` (instance, then project unless `block-project-ssh-keys`) become CloudStack SSH key
 * pairs, registered once per key and named after the user and the key's fingerprint.
 */
export function userDataOf(items: MetadataItem[]): string | undefined {
  const ud = item(items, 'user-data');
  const script = item(items, 'startup-script');
  const text = ud ?? (script === undefined ? undefined : script.startsWith('#!') ? script : `#!/bin/bash\n${script}`);
  return text === undefined ? undefined : Buffer.from(text, 'utf8').toString('base64');
}

export interface SshKey {
  user: string;
  key: string;
}

/** `user:ssh-ed25519 AAAA... comment` lines of `ssh-keys` (and the legacy `sshKeys`). */
export function sshKeysOf(items: MetadataItem[], projectItems: MetadataItem[]): SshKey[] {
  const own = [item(items, 'ssh-keys'), item(items, 'sshKeys')];
  const blocked = item(items, 'block-project-ssh-keys')?.toLowerCase() === 'true';
  const project = blocked ? [] : [item(projectItems, 'ssh-keys'), item(projectItems, 'sshKeys')];
  const out: SshKey[] = [];
  for (const text of [...own, ...project]) {
    for (const line of (text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const m = /^([^:\s]+):((?:ssh-|ecdsa-|sk-)\S+\s+[A-Za-z0-9+/=]+)(?:\s+(\S.*?))?$/.exec(line);
      if (!m)
        throw invalidField(
          'resource.metadata',
          'ssh-keys',
          `Invalid ssh key entry '${line.slice(0, 40)}': expected 'USERNAME:KEY_TYPE KEY [COMMENT]'.`,
        );
      // Google's `google-ssh {...}` expiry suffix is not part of the key.
      const comment = m[3] && !m[3].startsWith('google-ssh') ? ` ${m[3]}` : '';
      if (!out.some((k) => k.key.split(' ')[1] === m[2]!.split(/\s+/)[1]))
        out.push({ user: m[1]!, key: `${m[2]!.replace(/\s+/, ' ')}${comment}` });
    }
  }
  return out;
}

/** The MD5 fingerprint CloudStack shows for a public key (colon-separated hex of the key blob). */
const md5Of = (key: string) =>
  createHash('md5')
    .update(Buffer.from(key.split(' ')[1] ?? '', 'base64'))
    .digest('hex')
    .match(/../g)!
    .join(':');

/** CloudStack key pair names for the keys, registering those CloudStack does not have yet. */
export async function keyPairsFor(ctx: GceContext, keys: SshKey[]): Promise<{ names: string[]; created: string[] }> {
  if (!keys.length) return { names: [], created: [] };
  const existing: Pick<WireSshKeyPair, 'name' | 'fingerprint'>[] = await csList(
    ctx,
    'listSSHKeyPairs',
    'sshkeypair',
    {},
  );
  const names: string[] = [];
  const created: string[] = [];
  for (const k of keys) {
    const fp = md5Of(k.key);
    const found = existing.find((e) => e.fingerprint === fp);
    if (found) {
      names.push(found.name);
      continue;
    }
    const name = `gce-${slug(k.user)}-${fp.replace(/:/g, '').slice(0, 12)}`;
    const r = await csCall(ctx, 'registerSSHKeyPair', { name, publickey: k.key });
    if (r.status !== 200) {
      for (const c of created) await csCall(ctx, 'deleteSSHKeyPair', { name: c });
      throw fromCloudStack(r.status, String(r.error?.errortext ?? 'registerSSHKeyPair failed'));
    }
    names.push(name);
    created.push(name);
    existing.push({ name, fingerprint: fp });
  }
  return { names, created };
}
