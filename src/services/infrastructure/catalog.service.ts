import { forbidden, invalid, notFound } from '../../domain/errors.js';
import { hasAllTags, idList, inZones } from '../../domain/offerings.js';
import { acctText, inSubtree } from '../../domain/tenancy.js';
import { serviceName } from '../../domain/netoffering.js';
import { assertOfferingAccess, visibleTo } from './offering.scope.js';
import type {
  Account,
  DiskOffering,
  Domain,
  Flag,
  NetworkOffering,
  OsType,
  ServiceOffering,
  Template,
  Zone,
} from '../../domain/types.js';
import { catalogStore } from '../../store/catalog.store.js';
import { templateStore } from '../../store/template.store.js';
import { accountStore, domainRows } from '../../store/account.store.js';
import type { TemplateZone } from '../../domain/storage.js';
import type { Db, Store } from '../../store/db.js';
import { isAdmin, isDomainAdmin, isRootAdmin, memberOf, type Caller } from '../../domain/caller.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { vmRows } from '../../store/vm.store.js';
import { storagePoolRows } from '../../store/storage.store.js';
import { zoneRows } from '../../store/datacenter.store.js';

const TEMPLATE_FILTERS = [
  'featured',
  'self',
  'selfexecutable',
  'shared',
  'sharedexecutable',
  'executable',
  'community',
  'all',
] as const;
export type TemplateFilter = (typeof TEMPLATE_FILTERS)[number];
/** The filters that list only images ready in some zone (QueryManagerImpl's onlyReady). */
const EXECUTABLE_FILTERS: readonly TemplateFilter[] = ['executable', 'selfexecutable', 'sharedexecutable'];

export interface ServiceOfferingFilter {
  id?: string;
  name?: string;
  keyword?: string;
  zoneId?: string;
  domainId?: string;
  isSystem?: boolean;
  systemVmType?: string;
  vmId?: string;
  cpuNumber?: number;
  cpuSpeed?: number;
  memory?: number;
}
export interface NetworkOfferingFilter {
  id?: string;
  name?: string;
  displayText?: string;
  keyword?: string;
  guestIpType?: string;
  trafficType?: string;
  state?: string;
  availability?: string;
  forVpc?: boolean;
  isDefault?: boolean;
  specifyVlan?: boolean;
  specifyIpRanges?: boolean;
  tags?: string;
  isTagged?: boolean;
  sourceNatSupported?: boolean;
  supportedServices?: string[];
  zoneId?: string;
  domainId?: string;
}
export interface DiskOfferingFilter {
  id?: string;
  name?: string;
  keyword?: string;
  zoneId?: string;
  domainId?: string;
  encrypt?: boolean;
  storageId?: string;
}

/**
 * The cpunumber/cpuspeed/memory filters: a fixed offering must give at least as much; a custom one
 * must allow the value within its min/max (any value when it names none).
 */
function sizeFits(o: ServiceOffering, f: ServiceOfferingFilter): boolean {
  const d = o.details ? (JSON.parse(o.details) as Record<string, string>) : {};
  const within = (v: number, fixed: number, min?: string, max?: string) =>
    fixed ? fixed >= v : (min === undefined || Number(min) <= v) && (max === undefined || Number(max) >= v);
  return (
    (f.cpuNumber === undefined || within(f.cpuNumber, o.cpuNumber, d['mincpunumber'], d['maxcpunumber'])) &&
    (f.memory === undefined || within(f.memory, o.memory, d['minmemory'], d['maxmemory'])) &&
    (f.cpuSpeed === undefined || within(f.cpuSpeed, o.cpuSpeed))
  );
}

/** Read side of the catalogue: zones, offerings, OS types, templates and ISOs. */
export class CatalogService {
  constructor(private store: Store) {}

  async zones(
    caller: Caller,
    f: { id?: string; name?: string; networkType?: string; keyword?: string; available?: boolean },
  ): Promise<Zone[]> {
    const all = await catalogStore.zones(this.store.db);
    return all.filter(
      (z) =>
        (isAdmin(caller) || z.allocationState === 'Enabled') &&
        (!f.id || z.id === f.id) &&
        (!f.name || z.name === f.name) &&
        (!f.networkType || z.networkType.toLowerCase() === f.networkType.toLowerCase()) &&
        (!f.keyword || z.name.includes(f.keyword)),
    );
  }

  async zone(db: Db, id: string, param = 'zoneid'): Promise<Zone> {
    const z = await catalogStore.zone(db, id);
    if (!z) throw notFound('Zone', id, param);
    return z;
  }

  /**
   * listServiceOfferings (QueryManagerImpl.searchForServiceOfferings): active offerings the caller
   * may use, system ones only when asked for (and only to root admins), narrowed by the filters.
   */
  async serviceOfferings(caller: Caller, f: ServiceOfferingFilter): Promise<ServiceOffering[]> {
    const db = this.store.db;
    if (f.isSystem && !isRootAdmin(caller)) throw forbidden('Only ROOT admins can access system offerings.');
    if (f.systemVmType && !f.isSystem)
      throw invalid('System VM type can only be specified for system offerings', 'systemvmtype');
    const vm = f.vmId ? await vmRows.get(db, f.vmId) : undefined;
    if (f.vmId && (!vm || vm.removed)) throw notFound('VirtualMachine', f.vmId, 'virtualmachineid');
    const current = vm ? await catalogStore.serviceOffering(db, vm.serviceOfferingId) : undefined;
    const all = await catalogStore.serviceOfferings(db);
    const domains = new Map<string, Domain | undefined>();
    const out: ServiceOffering[] = [];
    for (const o of all) {
      if (!!o.isSystem !== !!f.isSystem || (f.systemVmType && o.systemVmType !== f.systemVmType.toLowerCase()))
        continue;
      if (
        (f.id && o.id !== f.id) ||
        (f.name && o.name !== f.name) ||
        (f.keyword && !o.name.includes(f.keyword) && !o.displayText.includes(f.keyword))
      )
        continue;
      if (f.zoneId && !inZones(o, f.zoneId)) continue;
      if (f.domainId && !idList(o.domainIds).includes(f.domainId)) continue;
      if (!sizeFits(o, f)) continue;
      // A VM can change to another offering of its storage type (virtualmachineid).
      if (current && (o.id === current.id || o.storageType !== current.storageType)) continue;
      if (!(await visibleTo(db, caller, o, domains))) continue;
      out.push(o);
    }
    return out;
  }

  async serviceOffering(db: Db, id: string, param = 'serviceofferingid'): Promise<ServiceOffering> {
    const o = await catalogStore.serviceOffering(db, id);
    if (!o || o.state !== 'Active') throw notFound('ServiceOffering', id, param);
    return o;
  }

  /** An offering the VM's owner may use in the zone (AccountManager.checkAccess(owner, offering, zone)). */
  async usableServiceOffering(
    db: Db,
    owner: Account,
    id: string,
    zoneId: string,
    param = 'serviceofferingid',
  ): Promise<ServiceOffering> {
    const o = await this.serviceOffering(db, id, param);
    if (o.isSystem) throw invalid(`Cannot use system service offering ${o.id} to deploy a user vm`, param);
    await assertOfferingAccess(db, owner, o, zoneId, 'service offering');
    return o;
  }

  /** listDiskOfferings: active offerings the caller may use (hidden ones only to admins), narrowed by the filters. */
  async diskOfferings(caller: Caller, f: DiskOfferingFilter): Promise<DiskOffering[]> {
    const db = this.store.db;
    const pool = f.storageId ? await storagePoolRows.get(db, f.storageId) : undefined;
    if (f.storageId && !pool) throw notFound('StoragePool', f.storageId, 'storageid');
    const all = await catalogStore.diskOfferings(db);
    const domains = new Map<string, Domain | undefined>();
    const out: DiskOffering[] = [];
    for (const o of all) {
      if (o.computeOnly || (o.displayOffering === 0 && !isAdmin(caller))) continue;
      if (
        (f.id && o.id !== f.id) ||
        (f.name && o.name !== f.name) ||
        (f.keyword && !o.name.includes(f.keyword) && !o.displayText.includes(f.keyword))
      )
        continue;
      if (f.zoneId && !inZones(o, f.zoneId)) continue;
      if (f.domainId && !idList(o.domainIds).includes(f.domainId)) continue;
      if (f.encrypt !== undefined && !!o.encrypt !== f.encrypt) continue;
      if (pool && !hasAllTags(pool.tags, o.tags)) continue;
      if (!(await visibleTo(db, caller, o, domains))) continue;
      out.push(o);
    }
    return out;
  }

  async diskOffering(db: Db, id: string, param = 'diskofferingid'): Promise<DiskOffering> {
    const o = await catalogStore.diskOffering(db, id);
    if (!o || o.state !== 'Active' || o.computeOnly) throw notFound('DiskOffering', id, param);
    return o;
  }

  /** A disk offering the volume's owner may use in the zone. */
  async usableDiskOffering(
    db: Db,
    owner: Account,
    id: string,
    zoneId: string,
    param = 'diskofferingid',
  ): Promise<DiskOffering> {
    const o = await this.diskOffering(db, id, param);
    await assertOfferingAccess(db, owner, o, zoneId, 'disk offering');
    return o;
  }

  /** listNetworkOfferings (ConfigurationManagerImpl.searchForNetworkOfferings): guest offerings, narrowed by the filters. */
  async networkOfferings(caller: Caller, f: NetworkOfferingFilter): Promise<NetworkOffering[]> {
    const db = this.store.db;
    if (f.domainId) {
      const d = await domainRows.get(db, f.domainId);
      if (!d) throw invalid(`Unable to find the domain by id=${f.domainId}`, 'domainid');
      if (!inSubtree(d.path, caller.domainPath))
        throw invalid(
          `Unable to list network offerings for domain: ${d.id} as caller does not have access for it`,
          'domainid',
        );
    }
    if (f.zoneId) {
      const z = await zoneRows.get(db, f.zoneId);
      if (!z) throw invalid(`Unable to find the zone by id=${f.zoneId}`, 'zoneid');
      // No networks are created in a basic zone, so it lists no offerings.
      if (z.networkType === 'Basic') return [];
    }
    const wanted = (f.supportedServices ?? []).map((n) => {
      const svc = serviceName(n);
      if (!svc) throw invalid(`Invalid service specified ${n}`, 'supportedservices');
      return svc;
    });
    const all = await catalogStore.networkOfferings(db);
    const eq = (a: string, b?: string) => !b || a.toLowerCase() === b.toLowerCase();
    const is = (v: Flag | null | undefined, b?: boolean) => b === undefined || !!v === b;
    const domains = new Map<string, Domain | undefined>();
    const out: NetworkOffering[] = [];
    for (const o of all) {
      const services = JSON.parse(o.services) as Record<string, string[]>;
      if (o.removed || o.trafficType !== 'Guest') continue;
      if (
        (f.id && o.id !== f.id) ||
        (f.name && o.name !== f.name) ||
        (f.displayText && !o.displayText.includes(f.displayText))
      )
        continue;
      if (f.keyword && !o.name.includes(f.keyword) && !o.displayText.includes(f.keyword)) continue;
      if (
        !eq(o.guestIpType, f.guestIpType) ||
        !eq(o.state, f.state) ||
        !eq(o.availability, f.availability) ||
        !eq(o.trafficType, f.trafficType)
      )
        continue;
      if (
        !is(o.forVpc, f.forVpc) ||
        !is(o.isDefault, f.isDefault) ||
        !is(o.specifyVlan, f.specifyVlan) ||
        !is(o.specifyIpRanges, f.specifyIpRanges)
      )
        continue;
      if ((f.tags !== undefined && o.tags !== f.tags) || (f.isTagged !== undefined && !!o.tags !== f.isTagged))
        continue;
      if (f.sourceNatSupported !== undefined && 'SourceNat' in services !== f.sourceNatSupported) continue;
      if (!wanted.every((svc) => Object.hasOwn(services, svc))) continue;
      if (f.zoneId && !inZones(o, f.zoneId)) continue;
      if (
        f.domainId
          ? idList(o.domainIds).length > 0 &&
            !(await visibleTo(
              db,
              { accountType: 0, domainPath: (await domainRows.get(db, f.domainId))!.path },
              o,
              domains,
            ))
          : !(await visibleTo(db, caller, o, domains))
      )
        continue;
      out.push(o);
    }
    return out;
  }

  async osTypes(f: { id?: string; description?: string; keyword?: string; categoryId?: string }): Promise<OsType[]> {
    const all = await catalogStore.osTypes(this.store.db);
    return all.filter(
      (o) =>
        (!f.id || o.id === f.id) &&
        (!f.description || o.description === f.description) &&
        (!f.categoryId || o.categoryId === f.categoryId) &&
        (!f.keyword || o.description.includes(f.keyword)),
    );
  }

  /**
   * listTemplates/listIsos with CloudStack's templatefilter semantics (QueryManagerImpl): `all`
   * is for admins; the *executable filters keep only images ready in some zone (the zone asked
   * for, if any); shared images are those other accounts gave the caller launch permission to.
   * `self` means the caller's own, or those of the account (or project) `owner` names, as
   * buildACLSearchParameters resolves it (an admin may name any account it administers).
   */
  async templates(
    caller: Caller,
    isIso: boolean,
    f: {
      filter: string;
      id?: string;
      name?: string;
      zoneId?: string;
      keyword?: string;
      hypervisor?: string;
      owner?: Pick<ListScope, 'account' | 'domainId' | 'projectId'>;
    },
  ): Promise<Template[]> {
    const filter = f.filter.toLowerCase() as TemplateFilter;
    if (!TEMPLATE_FILTERS.includes(filter))
      throw invalid(`Invalid template filter ${f.filter}`, isIso ? 'isofilter' : 'templatefilter');
    if (filter === 'all' && !isAdmin(caller))
      throw invalid('Filter all can be specified by admin only', isIso ? 'isofilter' : 'templatefilter');
    const all = await templateStore.list(this.store.db, isIso);
    // QueryManagerImpl.searchForTemplatesInternal: `all` for anyone but a root admin is the public
    // images and those owned in the caller's domain subtree (domainPath LIKE 'caller path%').
    const subtree =
      filter === 'all' && !isRootAdmin(caller)
        ? new Set((await accountStore.subtree(this.store.db, caller.domainPath)).map((d) => d.id))
        : undefined;
    const shared = await templateStore.sharedWith(this.store.db, [caller.accountId]);
    const where = await this.placements(this.store.db, all);
    const named =
      f.owner?.account || f.owner?.projectId ? await scopeAccounts(this.store.db, caller, f.owner) : undefined;
    const mine = (t: Template) => (named ? named.includes(t.accountId) : t.accountId === caller.accountId);
    const sharedToMe = (t: Template) => shared.has(t.id) && !mine(t);
    const inZone = (t: Template) =>
      (where.get(t.id) ?? []).filter((z) => !f.zoneId || z.zoneId === null || z.zoneId === f.zoneId);
    const ready = (t: Template) => inZone(t).some((z) => z.downloadState === 'DOWNLOADED');
    const visible = (t: Template) => t.templateType !== 'SYSTEM' || isRootAdmin(caller);
    const byFilter: Record<TemplateFilter, (t: Template) => boolean> = {
      featured: (t) => !!t.isFeatured && !!t.isPublic,
      self: mine,
      selfexecutable: (t) => mine(t) && ready(t),
      shared: sharedToMe,
      sharedexecutable: (t) => sharedToMe(t) && ready(t),
      executable: (t) => ready(t) && (mine(t) || !!t.isPublic),
      community: (t) => !!t.isPublic && !t.isFeatured,
      all: (t) => !subtree || !!t.isPublic || subtree.has(t.domainId),
    };
    // QueryManagerImpl: with an id "we will just use the id to search and ignore other query
    // parameters": the filter's owner rule gives way to an access check on that one image.
    const executableOnly = EXECUTABLE_FILTERS.includes(filter);
    const pick = f.id ? await this.byIdAccess(caller, isIso, f.id) : undefined;
    return all.filter(
      (t) =>
        visible(t) &&
        (pick ? t.id === pick && (!executableOnly || ready(t)) : byFilter[filter](t)) &&
        (!f.name || t.name === f.name) &&
        (!f.zoneId || inZone(t).length > 0) &&
        (!f.hypervisor || t.hypervisor.toLowerCase() === f.hypervisor.toLowerCase()) &&
        (!f.keyword || t.name.includes(f.keyword)),
    );
  }

  /**
   * listTemplates/listIsos id=: the image must be of the kind asked for; a domain admin may see a
   * private one owned in its subtree, a root admin any, everyone else what checkAccess allows
   * (public, own, a project's it belongs to, or shared with it).
   */
  private async byIdAccess(caller: Caller, isIso: boolean, id: string): Promise<string> {
    const t = await templateStore.getIncludingRemoved(this.store.db, id);
    if (!t) throw invalid('Please specify a valid template ID.', 'id');
    if (isIso && !t.isIso) throw invalid('Specified Template Id is not an ISO', 'id');
    if (!isIso && t.isIso) throw invalid(`Incorrect format ${t.format} of the specified template id`, 'id');
    if (!t.isPublic && isDomainAdmin(caller)) {
      const owned = await accountStore.subtree(this.store.db, caller.domainPath);
      if (!owned.some((d) => d.id === t.domainId))
        throw forbidden(
          `Account '${caller.accountName}' does not have permission to operate with resource Template ${t.id}`,
          'Template',
          t.id,
        );
    } else if (!(await this.mayUse(this.store.db, caller, t))) {
      throw forbidden(
        `${acctText({ id: caller.accountId, name: caller.accountName })} does not have permission to launch instances from ${t.name}`,
        'Template',
        t.id,
      );
    }
    return t.id;
  }

  /** Where each template is stored, ready or not; a seeded cross-zone template is ready in every zone. */
  async placements(db: Db, templates: Template[]): Promise<Map<string, TemplateZone[]>> {
    const rows = await templateStore.zonesOf(
      db,
      templates.map((t) => t.id),
    );
    const out = new Map<string, TemplateZone[]>();
    for (const t of templates) {
      const own = rows.get(t.id);
      const seeded: TemplateZone = {
        templateId: t.id,
        zoneId: t.crossZones ? null : t.zoneId,
        downloadState: 'DOWNLOADED',
        downloadPercent: 100,
        errorText: null,
        created: t.created,
      };
      out.set(t.id, own ?? [seeded]);
    }
    return out;
  }

  /** Whether the caller may see a template: its own, public, shared with it, or any for a root admin. */
  async mayUse(db: Db, caller: Caller, t: Template): Promise<boolean> {
    // A project member uses the project's templates as its own.
    if (isRootAdmin(caller) || t.isPublic || t.accountId === caller.accountId || memberOf(caller, t.accountId))
      return true;
    return (await templateStore.sharedWith(db, [caller.accountId])).has(t.id);
  }

  /** A template the caller may deploy from, ready in the zone. */
  async usableTemplate(db: Db, caller: Caller, id: string, zoneId: string, param = 'templateid'): Promise<Template> {
    const t = await templateStore.get(db, id);
    if (!t || !(await this.mayUse(db, caller, t))) throw notFound('Template', id, param);
    if (t.isIso) throw invalid(`Please specify a template that is not an ISO: ${t.name}`, param);
    const here = ((await this.placements(db, [t])).get(t.id) ?? []).filter(
      (z) => z.zoneId === null || z.zoneId === zoneId,
    );
    if (here.length === 0) throw invalid(`Template ${t.name} is not available in zone ${zoneId}`, param);
    if (!here.some((z) => z.downloadState === 'DOWNLOADED')) throw invalid(`Template ${t.name} is not ready`, param);
    if (t.templateType === 'SYSTEM') throw invalid(`Unable to use system template ${t.id} to deploy a user vm`, param);
    return t;
  }
}
