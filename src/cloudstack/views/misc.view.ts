import type { Wire, WireSshKeyPair } from '../wire.js';
import type { Event, SshKeyPair } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

export async function sshKeyPairView(lk: Lookup, k: SshKeyPair): Promise<Wire<WireSshKeyPair>> {
  return {
    id: k.id,
    name: k.name,
    fingerprint: k.fingerprint,
    ...(await ownerFields(lk, k.accountId, k.domainId)),
    hasannotations: false,
  };
}

export async function eventView(lk: Lookup, e: Event): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {
    id: e.id,
    type: e.type,
    level: e.level,
    description: e.description,
    state: e.state,
    created: csDate(e.created),
    ...(await ownerFields(lk, e.accountId, e.domainId)),
    archived: e.archived === 1,
  };
  const user = e.userId ? (await lk.table('users')).get(e.userId) : undefined;
  if (user) v['username'] = user.username;
  if (e.resourceId) v['resourceid'] = e.resourceId;
  if (e.resourceType) v['resourcetype'] = e.resourceType;
  return v;
}

export { tagsView };
