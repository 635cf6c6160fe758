import type { Event, SshKeyPair, Volume } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

export async function sshKeyPairView(lk: Lookup, k: SshKeyPair): Promise<Record<string, unknown>> {
  return { id: k.id, name: k.name, fingerprint: k.fingerprint, ...(await ownerFields(lk, k.accountId, k.domainId)), hasannotations: false };
}

export async function volumeView(lk: Lookup, v: Volume): Promise<Record<string, unknown>> {
  const [zones, pools, offerings] = await Promise.all([lk.table('zones'), lk.table('storagePools'), lk.table('diskOfferings')]);
  const vm = v.vmId ? (await lk.vms([v.vmId])).get(v.vmId) : undefined;
  const out: Record<string, unknown> = {
    id: v.id, name: v.name, zoneid: v.zoneId, zonename: zones.get(v.zoneId)?.name, type: v.type, size: v.size, state: v.state,
    created: csDate(v.created), ...(await ownerFields(lk, v.accountId, v.domainId)), storagetype: 'shared', hypervisor: 'Simulator',
    provisioningtype: 'thin', destroyed: false, isextractable: false, displayvolume: true, quiescevm: false, supportsstorageeesnapshot: false,
    deleteprotection: false, tags: await tagsView(lk, (await lk.tags([v.id])).get(v.id)), hasannotations: false,
  };
  if (vm) {
    out['virtualmachineid'] = vm.id;
    out['vmname'] = vm.name;
    out['vmdisplayname'] = vm.displayName;
    out['vmstate'] = vm.state;
    out['deviceid'] = v.deviceId ?? undefined;
    out['attached'] = csDate(v.attached);
  }
  if (v.poolId) {
    out['storageid'] = v.poolId;
    out['storage'] = pools.get(v.poolId)?.name;
  }
  if (v.diskOfferingId) {
    out['diskofferingid'] = v.diskOfferingId;
    out['diskofferingname'] = offerings.get(v.diskOfferingId)?.name;
  }
  if (v.templateId) out['templateid'] = v.templateId;
  return out;
}

export async function eventView(lk: Lookup, e: Event): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {
    id: e.id, type: e.type, level: e.level, description: e.description, state: e.state, created: csDate(e.created),
    ...(await ownerFields(lk, e.accountId, e.domainId)), archived: e.archived === 1,
  };
  const user = e.userId ? (await lk.table('users')).get(e.userId) : undefined;
  if (user) v['username'] = user.username;
  if (e.resourceId) v['resourceid'] = e.resourceId;
  if (e.resourceType) v['resourcetype'] = e.resourceType;
  return v;
}

export { tagsView };
