import type { Wire, WireTemplate } from '../wire.js';
import { downloadStatus, type TemplateZone } from '../../domain/storage.js';
import type { Tag, Template } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

export interface TemplateViewOptions {
  /** Only rows of this zone. */
  zoneId?: string;
  /** Only zones where the image is ready (the *executable filters). */
  readyOnly?: boolean;
  /** Admins and the owner see the download status and the URL (TemplateJoinDaoImpl). */
  showStatus: boolean;
  tags?: Tag[];
}

/** The fields of one template or ISO that do not depend on the zone. */
async function common(lk: Lookup, t: Template, o: TemplateViewOptions): Promise<Wire<Omit<WireTemplate, 'isready'>>> {
  const osTypes = await lk.table('osTypes');
  const v: Wire<Omit<WireTemplate, 'isready'>> = {
    id: t.id,
    name: t.name,
    displaytext: t.displayText,
    ispublic: !!t.isPublic,
    created: csDate(t.created),
    isfeatured: !!t.isFeatured,
    isextractable: !!t.isExtractable && t.templateType !== (t.isIso ? 'PERHOST' : 'SYSTEM'),
    passwordenabled: !!t.passwordEnabled,
    isdynamicallyscalable: !!t.isDynamicallyScalable,
    crossZones: !!t.crossZones,
    ostypeid: t.osTypeId,
    ostypename: osTypes.get(t.osTypeId)?.description,
    ...(await ownerFields(lk, t.accountId, t.domainId)),
    bootable: !!t.bootable,
    tags: await tagsView(lk, o.tags),
    hasannotations: false,
    directdownload: false,
  };
  if (t.size > 0) v['size'] = t.size;
  if (t.checksum) v['checksum'] = t.checksum;
  if (t.userDataId) Object.assign(v, await linkedUserData(lk, t.userDataId, t.userDataPolicy ?? null));
  if (t.isIso) {
    v['bits'] = 64;
    return v;
  }
  Object.assign(v, {
    format: t.format,
    templatetype: t.templateType,
    hypervisor: t.hypervisor,
    sshkeyenabled: !!t.sshKeyEnabled,
    deployasis: false,
    requireshvm: true,
    arch: 'x86_64',
    details: {},
  });
  if (t.sourceTemplateId) v['sourcetemplateid'] = t.sourceTemplateId;
  if (t.templateTag) v['templatetag'] = t.templateTag;
  if (t.size > 0) v['physicalsize'] = t.size;
  return v;
}

/** TemplateJoinDaoImpl: the registered userdata a template or ISO links to. */
async function linkedUserData(lk: Lookup, id: string, policy: string | null): Promise<Record<string, unknown>> {
  const ud = (await lk.userData([id])).get(id);
  if (!ud) return {};
  return {
    userdataid: ud.id,
    userdataname: ud.name,
    userdatapolicy: policy,
    ...(ud.params ? { userdataparams: ud.params } : {}),
  };
}

/** listTemplates/listIsos rows: one per zone the image is stored in (every zone for a cross-zone one). */
export async function templateRows(
  lk: Lookup,
  t: Template,
  placements: TemplateZone[],
  o: TemplateViewOptions,
): Promise<Wire<WireTemplate>[]> {
  const zones = await lk.table('zones');
  const base = await common(lk, t, o);
  const rows: Wire<WireTemplate>[] = [];
  for (const p of placements) {
    if (o.readyOnly && p.downloadState !== 'DOWNLOADED') continue;
    const zoneIds = p.zoneId ? [p.zoneId] : [...zones.keys()];
    for (const zoneId of zoneIds) {
      if (o.zoneId && zoneId !== o.zoneId) continue;
      const row: Wire<WireTemplate> = {
        ...base,
        isready: p.downloadState === 'DOWNLOADED',
        zoneid: zoneId,
        zonename: zones.get(zoneId)?.name,
      };
      if (o.showStatus) {
        const status = downloadStatus(p, !!t.isIso);
        if (status !== undefined) row['status'] = status;
        if (t.url) row['url'] = t.url;
        if (!t.isIso)
          row['downloaddetails'] = [
            {
              datastore: zones.get(zoneId)?.name ?? zoneId,
              downloadPercent: String(p.downloadPercent),
              downloadState: p.downloadState,
            },
          ];
      }
      rows.push(row);
    }
  }
  return rows;
}

/** The single object update* and job results answer with: the row of one zone, or the first. */
export async function templateObject(
  lk: Lookup,
  t: Template,
  placements: TemplateZone[],
  o: TemplateViewOptions,
): Promise<Wire<WireTemplate>> {
  const rows = await templateRows(lk, t, placements, o);
  return rows[0] ?? { ...(await common(lk, t, o)), isready: false };
}
