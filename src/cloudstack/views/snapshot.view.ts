import type { Wire, WireSnapshot } from '../wire.js';
import type { Snapshot, VmSnapshot } from '../../domain/storage.js';
import type { ExtractAnswer } from '../../services/storage/extract.service.js';
import type { Lookup } from '../../services/lookup.service.js';
import type { Volume } from '../../domain/types.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

/** SnapshotResponse for a page of snapshots; `volumes` names their volumes (removed ones too). */
export async function snapshotViews(
  lk: Lookup,
  list: Snapshot[],
  volumes: Map<string, Volume>,
): Promise<Wire<WireSnapshot>[]> {
  const [templates, osTypes] = await Promise.all([lk.table('templates'), lk.table('osTypes')]);
  const tags = await lk.tags(list.map((s) => s.id));
  return Promise.all(
    list.map(async (s) => {
      const v = volumes.get(s.volumeId);
      const t = s.templateId ? templates.get(s.templateId) : undefined;
      const out: Wire<WireSnapshot> = {
        id: s.id,
        ...(await ownerFields(lk, s.accountId, s.domainId)),
        snapshottype: s.snapshotType,
        volumeid: s.volumeId,
        volumename: v?.name,
        volumetype: s.volumeType,
        virtualsize: s.size,
        zoneid: s.zoneId,
        created: csDate(s.created),
        name: s.name,
        intervaltype: s.snapshotType,
        state: s.state,
        revertable: s.state === 'BackedUp',
        physicalsize: s.physicalSize,
        tags: await tagsView(lk, tags.get(s.id)),
        hasannotations: false,
      };
      if (t && s.volumeType === 'ROOT') {
        out['ostypeid'] = t.osTypeId;
        out['osdisplayname'] = osTypes.get(t.osTypeId)?.description;
      }
      return out;
    }),
  );
}

/** VMSnapshotResponse. */
export async function vmSnapshotViews(
  lk: Lookup,
  list: VmSnapshot[],
  parents: Map<string, VmSnapshot>,
): Promise<Record<string, unknown>[]> {
  const zones = await lk.table('zones');
  const vms = await lk.vms(list.map((s) => s.vmId));
  const tags = await lk.tags(list.map((s) => s.id));
  return Promise.all(
    list.map(async (s) => {
      const out: Record<string, unknown> = {
        id: s.id,
        name: s.name,
        displayname: s.displayName,
        state: s.state,
        type: s.type,
        current: !!s.current,
        created: csDate(s.created),
        virtualmachineid: s.vmId,
        virtualmachinename: vms.get(s.vmId)?.name,
        zoneid: s.zoneId,
        zonename: zones.get(s.zoneId)?.name,
        hypervisor: 'Simulator',
        ...(await ownerFields(lk, s.accountId, s.domainId)),
        tags: await tagsView(lk, tags.get(s.id)),
        hasannotations: false,
      };
      if (s.description) out['description'] = s.description;
      if (s.parentId) {
        out['parent'] = s.parentId;
        out['parentName'] = parents.get(s.parentId)?.displayName;
      }
      return out;
    }),
  );
}

/** ExtractResponse (ApiResponseHelper.createExtractResponse). */
export async function extractView(lk: Lookup, a: ExtractAnswer): Promise<Record<string, unknown>> {
  const zones = await lk.table('zones');
  return {
    id: a.id,
    name: a.name,
    zoneid: a.zoneId,
    zonename: zones.get(a.zoneId)?.name,
    extractMode: a.mode,
    url: a.url,
    state: a.state,
    accountid: a.accountId,
  };
}
