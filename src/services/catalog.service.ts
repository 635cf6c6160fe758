import { invalid, notFound } from '../domain/errors.js';
import type { DiskOffering, NetworkOffering, OsType, ServiceOffering, Template, Zone } from '../domain/types.js';
import { catalogStore } from '../store/catalog.store.js';
import { templateStore } from '../store/template.store.js';
import { accountStore } from '../store/account.store.js';
import type { TemplateZone } from '../domain/storage.js';
import type { Db, Store } from '../store/db.js';
import { isAdmin, isRootAdmin, memberOf, type Caller } from './context.js';
import { scopeAccounts, type ListScope } from './scope.js';

const TEMPLATE_FILTERS = ['featured', 'self', 'selfexecutable', 'shared', 'sharedexecutable', 'executable', 'community', 'all'] as const;
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
    f: { filter: string; id?: string; name?: string; zoneId?: string; keyword?: string; hypervisor?: string; owner?: Pick<ListScope, 'account' | 'domainId' | 'projectId'> },
  ): Promise<Template[]> {
    const filter = f.filter.toLowerCase() as TemplateFilter;
    if (!TEMPLATE_FILTERS.includes(filter)) throw invalid(`Invalid template filter ${f.filter}`, isIso ? 'isofilter' : 'templatefilter');
    if (filter === 'all' && !isAdmin(caller)) throw invalid('Filter all can be specified by admin only', isIso ? 'isofilter' : 'templatefilter');
    const all = await templateStore.list(this.store.db, isIso);
    // QueryManagerImpl.searchForTemplatesInternal: `all` for anyone but a root admin is the public
    // images and those owned in the caller's domain subtree (domainPath LIKE 'caller path%').
    const subtree = filter === 'all' && !isRootAdmin(caller) ? new Set((await accountStore.subtree(this.store.db, caller.domainPath)).map((d) => d.id)) : undefined;
    const shared = await templateStore.sharedWith(this.store.db, [caller.accountId]);
    const where = await this.placements(this.store.db, all);
    const named = f.owner?.account || f.owner?.projectId ? await scopeAccounts(this.store.db, caller, f.owner) : undefined;
    const mine = (t: Template) => (named ? named.includes(t.accountId) : t.accountId === caller.accountId);
    const sharedToMe = (t: Template) => shared.has(t.id) && !mine(t);
    const inZone = (t: Template) => (where.get(t.id) ?? []).filter((z) => !f.zoneId || z.zoneId === null || z.zoneId === f.zoneId);
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
    return all.filter(
      (t) =>
        visible(t) &&
        byFilter[filter](t) &&
        (!f.id || t.id === f.id) &&
        (!f.name || t.name === f.name) &&
        (!f.zoneId || inZone(t).length > 0) &&
        (!f.hypervisor || t.hypervisor.toLowerCase() === f.hypervisor.toLowerCase()) &&
        (!f.keyword || t.name.includes(f.keyword)),
    );
  }

  /** Where each template is stored, ready or not; a seeded cross-zone template is ready in every zone. */
  async placements(db: Db, templates: Template[]): Promise<Map<string, TemplateZone[]>> {
    const rows = await templateStore.zonesOf(db, templates.map((t) => t.id));
    const out = new Map<string, TemplateZone[]>();
    for (const t of templates) {
      const own = rows.get(t.id);
      const seeded: TemplateZone = { templateId: t.id, zoneId: t.crossZones ? null : t.zoneId, downloadState: 'DOWNLOADED', downloadPercent: 100, errorText: null, created: t.created };
      out.set(t.id, own ?? [seeded]);
    }
    return out;
  }

  /** Whether the caller may see a template: its own, public, shared with it, or any for a root admin. */
  async mayUse(db: Db, caller: Caller, t: Template): Promise<boolean> {
    // A project member uses the project's templates as its own.
    if (isRootAdmin(caller) || t.isPublic || t.accountId === caller.accountId || memberOf(caller, t.accountId)) return true;
    return (await templateStore.sharedWith(db, [caller.accountId])).has(t.id);
  }

  /** A template the caller may deploy from, ready in the zone. */
  async usableTemplate(db: Db, caller: Caller, id: string, zoneId: string, param = 'templateid'): Promise<Template> {
    const t = await templateStore.get(db, id);
    if (!t || !(await this.mayUse(db, caller, t))) throw notFound('Template', id, param);
    if (t.isIso) throw invalid(`Please specify a template that is not an ISO: ${t.name}`, param);
    const here = ((await this.placements(db, [t])).get(t.id) ?? []).filter((z) => z.zoneId === null || z.zoneId === zoneId);
    if (here.length === 0) throw invalid(`Template ${t.name} is not available in zone ${zoneId}`, param);
    if (!here.some((z) => z.downloadState === 'DOWNLOADED')) throw invalid(`Template ${t.name} is not ready`, param);
    if (t.templateType === 'SYSTEM') throw invalid(`Unable to use system template ${t.id} to deploy a user vm`, param);
    return t;
  }
}
