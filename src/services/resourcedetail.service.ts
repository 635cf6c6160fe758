import type { Clock } from '../domain/clock.js';
import { invalid, runtimeFailure } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { ResourceDetail } from '../domain/types.js';
import type { JobEngine } from '../jobs/engine.js';
import type { Db, Store } from '../store/db.js';
import { resourceDetailStore } from '../store/resourcedetail.store.js';
import type { Caller } from '../domain/caller.js';
import { eventLog } from './operations/events.js';

export const DETAIL_JOBS = { add: 'resourcedetail.add', remove: 'resourcedetail.remove' } as const;

/** ResourceTag.ResourceObjectType (4.18): the names resourcetype may give, matched case-insensitively. */
const OBJECT_TYPES = [
  'UserVm',
  'Template',
  'ISO',
  'Volume',
  'Snapshot',
  'Backup',
  'Network',
  'Nic',
  'LoadBalancer',
  'PortForwardingRule',
  'FirewallRule',
  'SecurityGroup',
  'SecurityGroupRule',
  'PublicIpAddress',
  'Project',
  'Account',
  'Vpc',
  'NetworkACL',
  'StaticRoute',
  'VMSnapshot',
  'RemoteAccessVpn',
  'Zone',
  'ServiceOffering',
  'Storage',
  'PrivateGateway',
  'NetworkACLList',
  'VpnGateway',
  'CustomerGateway',
  'VpnConnection',
  'User',
  'DiskOffering',
  'AutoScaleVmProfile',
  'AutoScaleVmGroup',
  'LBStickinessPolicy',
  'LBHealthCheckPolicy',
  'SnapshotPolicy',
  'GuestOs',
  'NetworkOffering',
  'VpcOffering',
  'Domain',
];

/** ResourceManagerUtil.getResourceType. */
export function objectType(name: string): string {
  const t = OBJECT_TYPES.find((x) => x.toLowerCase() === name.toLowerCase());
  if (!t) throw invalid(`Invalid resource type: ${name}`, 'resourcetype');
  return t;
}

/**
 * addResourceDetail, removeResourceDetail and listResourceDetails (ResourceMetaDataManagerImpl and
 * QueryManagerImpl.listResourceDetails): details a root admin puts on a resource, keyed by name.
 */
export class ResourceDetailService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ type: string; resourceId: string; details: Record<string, string>; display: boolean }>(
      DETAIL_JOBS.add,
      async ({ caller, params }) => {
        await this.store.tx((trx) => this.add(trx, caller, params));
        return { type: 'success' };
      },
    );
    jobs.register<{ type: string; resourceId: string; key?: string }>(
      DETAIL_JOBS.remove,
      async ({ caller, params }) => {
        await this.store.tx((trx) => this.remove(trx, caller, params));
        return { type: 'success' };
      },
    );
  }

  private async add(
    db: Db,
    caller: Caller,
    r: { type: string; resourceId: string; details: Record<string, string>; display: boolean },
  ): Promise<void> {
    const type = objectType(r.type);
    for (const [name, value] of Object.entries(r.details)) {
      if (!value) throw invalid(`Value for the key ${name} is either null or empty`, 'details');
      const found = await this.resource(db, type, r.resourceId);
      await resourceDetailStore.put(db, {
        id: newId(),
        resourceType: type,
        resourceId: found.id,
        name,
        value,
        display: r.display ? 1 : 0,
        created: this.clock.now(),
      });
    }
    await eventLog(db, this.clock, {
      type: 'DETAILS.CREATE',
      description: 'adding details to the resource ',
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: r.resourceId,
      resourceType: type,
    });
  }

  private async remove(db: Db, caller: Caller, r: { type: string; resourceId: string; key?: string }): Promise<void> {
    const type = objectType(r.type);
    const found = await this.resource(db, type, r.resourceId);
    await resourceDetailStore.remove(db, type, found.id, r.key);
    await eventLog(db, this.clock, {
      type: 'DETAILS.DELETE',
      description: 'Removing detail to the volume ',
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: found.id,
      resourceType: type,
    });
  }

  /**
   * listResourceDetails: by resource (all its details, or one key), or by key and value across the
   * type. A normal user sees only details shown to users unless fordisplay says otherwise.
   */
  async list(
    caller: Caller,
    r: { type: string; resourceId?: string; key?: string; value?: string; display?: boolean },
  ): Promise<(ResourceDetail & { shown: string })[]> {
    if (r.resourceId === undefined && r.value === undefined)
      throw invalid(
        'Insufficient parameters passed for listing by resourceId OR key,value pair. Please check your params and try again.',
        'resourceid',
      );
    if (r.value !== undefined && r.key === undefined)
      throw invalid('Listing by (key, value) but key is null. Please check the params and try again', 'key');
    const db = this.store.db;
    const type = objectType(r.type);
    const display = r.display ?? (caller.accountType === 0 ? true : undefined);
    const found = r.resourceId !== undefined ? await this.resource(db, type, r.resourceId) : undefined;
    // A resource named with a value lists by key and value across the type, as QueryManagerImpl does.
    const rows = await resourceDetailStore.list(db, {
      resourceType: type,
      resourceId: r.value === undefined ? found?.id : undefined,
      name: r.key,
      value: r.value,
      display,
    });
    const shown = new Map<string, string>();
    for (const d of rows)
      if (!shown.has(d.resourceId))
        shown.set(d.resourceId, (await this.shownId(db, type, d.resourceId)) ?? d.resourceId);
    return rows.map((d) => ({ ...d, shown: shown.get(d.resourceId)! }));
  }

  /** ResourceManagerUtil.getResourceId, then DetailDaoHelper's refusal for a type without details. */
  private async resource(db: Db, type: string, given: string): Promise<{ id: string }> {
    const t = resourceDetailStore.kind(type);
    if (!t) throw runtimeFailure(`ResourceType ${type} doesn't support metadata`);
    const byUuid = await resourceDetailStore.resourceById(db, type, given);
    if (byUuid) return byUuid;
    if (!/^\d+$/.test(given)) throw invalid(`Unable to find resource by uuid ${given} and type ${type}`, 'resourceid');
    const bySeq = t.numbered ? await resourceDetailStore.resourceBySeq(db, type, Number(given)) : undefined;
    if (!bySeq) throw invalid(`Unable to find resource by id ${given} and type ${type}`, 'resourceid');
    return bySeq;
  }

  /** The id a detail response shows: CloudStack's numeric id where polystack keeps one, else the uuid. */
  private async shownId(db: Db, type: string, id: string): Promise<string | undefined> {
    if (!resourceDetailStore.kind(type)?.numbered) return undefined;
    const seq = await resourceDetailStore.seqOf(db, type, id);
    return seq != null ? String(seq) : undefined;
  }
}
