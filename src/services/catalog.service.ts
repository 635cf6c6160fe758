import { invalid, notFound } from '../domain/errors.js';
import type { DiskOffering, NetworkOffering, OsType, ServiceOffering, Template, Zone } from '../domain/types.js';
import { catalogStore } from '../store/catalog.store.js';
import type { Db, Store } from '../store/db.js';
import { isAdmin, isRootAdmin, type Caller } from './context.js';

const TEMPLATE_FILTERS = ['featured', 'self', 'selfexecutable', 'sharedexecutable', 'executable', 'community', 'all'] as const;
export type TemplateFilter = (typeof TEMPLATE_FILTERS)[number];

/** Read side of the catalogue: zones, offerings, OS types, templates and ISOs. */
export class CatalogService {
  constructor(private store: Store) {}

  async zones(caller: Caller, f: { id?: string; name?: string; networkType?: string; keyword?: string; available?: boolean }): Promise<Zone[]> {
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

  async serviceOfferings(f: { id?: string; name?: string; keyword?: string }): Promise<ServiceOffering[]> {
    const all = await catalogStore.serviceOfferings(this.store.db);
    return all.filter((o) => !o.isSystem && (!f.id || o.id === f.id) && (!f.name || o.name === f.name) && (!f.keyword || o.name.includes(f.keyword)));
  }

  async serviceOffering(db: Db, id: string, param = 'serviceofferingid'): Promise<ServiceOffering> {
    const o = await catalogStore.serviceOffering(db, id);
    if (!o || o.state !== 'Active') throw notFound('ServiceOffering', id, param);
    return o;
  }

  async diskOfferings(f: { id?: string; name?: string; keyword?: string }): Promise<DiskOffering[]> {
    const all = await catalogStore.diskOfferings(this.store.db);
    return all.filter((o) => (!f.id || o.id === f.id) && (!f.name || o.name === f.name) && (!f.keyword || o.name.includes(f.keyword)));
  }

  async diskOffering(db: Db, id: string, param = 'diskofferingid'): Promise<DiskOffering> {
    const o = await catalogStore.diskOffering(db, id);
    if (!o || o.state !== 'Active') throw notFound('DiskOffering', id, param);
    return o;
  }

  async networkOfferings(f: { id?: string; name?: string; guestIpType?: string; state?: string; forVpc?: boolean; keyword?: string }): Promise<NetworkOffering[]> {
    const all = await catalogStore.networkOfferings(this.store.db);
    const eq = (a: string, b?: string) => !b || a.toLowerCase() === b.toLowerCase();
    return all.filter(
      (o) => (!f.id || o.id === f.id) && (!f.name || o.name === f.name) && eq(o.guestIpType, f.guestIpType) && eq(o.state, f.state) &&
        (f.forVpc === undefined || !!o.forVpc === f.forVpc) && (!f.keyword || o.name.includes(f.keyword)),
    );
  }

  async osTypes(f: { id?: string; description?: string; keyword?: string; categoryId?: string }): Promise<OsType[]> {
    const all = await catalogStore.osTypes(this.store.db);
    return all.filter(
      (o) => (!f.id || o.id === f.id) && (!f.description || o.description === f.description) && (!f.categoryId || o.categoryId === f.categoryId) && (!f.keyword || o.description.includes(f.keyword)),
    );
  }

  /** listTemplates/listIsos with CloudStack's templatefilter semantics. */
  async templates(caller: Caller, isIso: boolean, f: { filter: string; id?: string; name?: string; zoneId?: string; keyword?: string }): Promise<Template[]> {
    const filter = f.filter.toLowerCase() as TemplateFilter;
    if (!TEMPLATE_FILTERS.includes(filter)) throw invalid(`Invalid template filter ${f.filter}`, isIso ? 'isofilter' : 'templatefilter');
    const all = await catalogStore.templates(this.store.db, isIso);
    const mine = (t: Template) => t.accountId === caller.accountId;
    const visible = (t: Template) => t.templateType !== 'SYSTEM' || isRootAdmin(caller);
    const byFilter: Record<TemplateFilter, (t: Template) => boolean> = {
      featured: (t) => !!t.isFeatured && !!t.isPublic,
      self: mine,
      selfexecutable: (t) => mine(t) && !!t.isReady,
      sharedexecutable: () => false,
      executable: (t) => !!t.isReady && (mine(t) || !!t.isPublic),
      community: (t) => !!t.isPublic && !t.isFeatured,
      all: (t) => isRootAdmin(caller) || mine(t) || !!t.isPublic,
    };
    return all.filter(
      (t) =>
        visible(t) &&
        byFilter[filter](t) &&
        (!f.id || t.id === f.id) &&
        (!f.name || t.name === f.name) &&
        (!f.zoneId || t.zoneId === null || t.zoneId === f.zoneId) &&
        (!f.keyword || t.name.includes(f.keyword)),
    );
  }

  /** A template the caller may deploy from. */
  async usableTemplate(db: Db, caller: Caller, id: string, zoneId: string, param = 'templateid'): Promise<Template> {
    const t = await catalogStore.template(db, id);
    if (!t) throw notFound('Template', id, param);
    if (!t.isPublic && t.accountId !== caller.accountId && !isRootAdmin(caller)) throw notFound('Template', id, param);
    if (!t.isReady) throw invalid(`Template ${t.name} is not ready`, param);
    if (t.zoneId && t.zoneId !== zoneId) throw invalid(`Template ${t.name} is not available in zone ${zoneId}`, param);
    if (t.templateType === 'SYSTEM') throw invalid(`Unable to use system template ${t.id} to deploy a user vm`, param);
    return t;
  }
}
