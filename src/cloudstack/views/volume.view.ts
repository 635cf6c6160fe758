import type { Wire, WireVolume } from '../wire.js';
import type { Volume } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFieldsOf, ownerTables } from './owner.view.js';
import { tagViewOf } from './tag.view.js';

/** VolumeResponse for a page of volumes: VMs and tags are read once for the page. */
export async function volumeViews(lk: Lookup, vols: Volume[]): Promise<Wire<WireVolume>[]> {
  const [zones, pools, offerings, templates] = await Promise.all([
    lk.table('zones'),
    lk.table('storagePools'),
    lk.table('diskOfferings'),
    lk.table('templates'),
  ]);
  // A volume names its VM, nothing more of it: not the whole row of each.
  const [vms, tags, owners] = await Promise.all([
    lk.vmNames(vols.flatMap((v) => (v.vmId ? [v.vmId] : []))),
    lk.tags(vols.map((v) => v.id)),
    ownerTables(lk),
  ]);
  return vols.map((v) => {
    const vm = v.vmId ? vms.get(v.vmId) : undefined;
    const out: Wire<WireVolume> = {
      id: v.id,
      name: v.name,
      zoneid: v.zoneId,
      zonename: zones.get(v.zoneId)?.name,
      type: v.type,
      size: v.size,
      virtualsize: v.size,
      state: v.state,
      created: csDate(v.created),
      ...ownerFieldsOf(owners, v.accountId, v.domainId),
      storagetype: 'shared',
      hypervisor: 'Simulator',
      provisioningtype: 'thin',
      destroyed: v.state === 'Destroy',
      isextractable: v.type !== 'ROOT' || !!(v.templateId && templates.get(v.templateId)?.isExtractable),
      displayvolume: true,
      quiescevm: false,
      supportsstoragesnapshot: false,
      deleteprotection: false,
      tags: (tags.get(v.id) ?? []).map((t) => tagViewOf(owners, t)),
      hasannotations: false,
    };
    if (vm) {
      out['virtualmachineid'] = vm.id;
      out['vmname'] = vm.name;
      out['vmdisplayname'] = vm.displayName;
      out['vmstate'] = vm.state;
      out['vmtype'] = 'User';
      out['deviceid'] = v.deviceId ?? undefined;
      out['attached'] = csDate(v.attached);
    }
    if (v.poolId) {
      const pool = pools.get(v.poolId);
      out['storageid'] = v.poolId;
      out['storage'] = pool?.name;
      out['path'] = v.id;
      if (pool?.clusterId) out['clusterid'] = pool.clusterId;
      if (pool?.podId) out['podid'] = pool.podId;
    }
    if (v.diskOfferingId) {
      const o = offerings.get(v.diskOfferingId);
      out['diskofferingid'] = v.diskOfferingId;
      out['diskofferingname'] = o?.name;
      out['diskofferingdisplaytext'] = o?.displayText;
    }
    if (v.templateId) {
      const t = templates.get(v.templateId);
      out['templateid'] = v.templateId;
      out['templatename'] = t?.name;
      out['templatedisplaytext'] = t?.displayText;
    }
    if (v.snapshotId) out['snapshotid'] = v.snapshotId;
    return out;
  });
}

export async function volumeView(lk: Lookup, v: Volume): Promise<Wire<WireVolume>> {
  return (await volumeViews(lk, [v]))[0]!;
}
