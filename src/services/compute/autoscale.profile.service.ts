import type { Clock } from '../../domain/clock.js';
import { checkDeployParams, joinParams, parseParams, type AsVmProfile } from '../../domain/autoscale.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import { catalogStore } from '../../store/catalog.store.js';
import type { Db, Store } from '../../store/db.js';
import { entityStore, type EntityKind } from '../../store/entity.store.js';
import { templateStore } from '../../store/template.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const AS_PROFILE_JOBS = {
  created: 'autoscale.profile.created',
  update: 'autoscale.profile.update',
  remove: 'autoscale.profile.delete',
} as const;

/** CreateAutoScaleVmProfileCmd's default expungevmgraceperiod (NetUtils.DEFAULT_AUTOSCALE_EXPUNGE_VM_GRACE_PERIOD), seconds. */
const DEFAULT_GRACE_PERIOD = 120;

type Pairs = { name?: string; value?: string }[];

export interface NewProfile extends OwnerRequest {
  zoneId: string;
  serviceOfferingId: string;
  templateId: string;
  otherDeployParams?: Pairs;
  counterParams?: Pairs;
  userData?: string;
  expungeVmGracePeriod?: number;
  autoscaleUserId?: string;
  display?: boolean;
}
export interface ProfileChange {
  serviceOfferingId?: string;
  templateId?: string;
  otherDeployParams?: Pairs;
  counterParams?: Pairs;
  userData?: string;
  expungeVmGracePeriod?: number;
  autoscaleUserId?: string;
  display?: boolean;
}

/** The deploy parameters that name an entity, checked as deployVirtualMachine's dispatcher checks them. */
const DEPLOY_ENTITIES: Record<string, EntityKind> = {
  diskofferingid: 'DiskOffering',
  overridediskofferingid: 'DiskOffering',
  networkids: 'Network',
  affinitygroupids: 'AffinityGroup',
  securitygroupids: 'SecurityGroup',
};

/** AutoScale VM profiles: what the group's VMs are deployed from. */
export class AutoScaleProfileService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(AS_PROFILE_JOBS.created, async ({ params }) => obj(params.id));
    jobs.register<{ id: string } & ProfileChange>(AS_PROFILE_JOBS.update, ({ caller, params }) =>
      this.store.tx((trx) => this.update(trx, caller, params)),
    );
    jobs.register<{ id: string }>(AS_PROFILE_JOBS.remove, ({ caller, params }) =>
      this.store.tx((trx) => this.remove(trx, caller, params.id)),
    );
  }

  async create(caller: Caller, r: NewProfile, cmd: string): Promise<{ profile: AsVmProfile; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const owner = await resolveOwner(trx, caller, r);
      if (!(await catalogStore.zone(trx, r.zoneId))) throw invalid('Unable to find zone by id', 'zoneid');
      if (!(await catalogStore.serviceOffering(trx, r.serviceOfferingId)))
        throw invalid('Unable to find service offering by id', 'serviceofferingid');
      await this.checkDeployValues(trx, r.otherDeployParams ?? []);
      const profile: AsVmProfile = {
        id: newId(),
        zoneId: r.zoneId,
        serviceOfferingId: r.serviceOfferingId,
        templateId: r.templateId,
        otherDeployParams: r.otherDeployParams?.length ? joinParams(r.otherDeployParams) : null,
        counterParams: r.counterParams?.length ? joinParams(r.counterParams) : null,
        userData: r.userData ?? null,
        expungeVmGracePeriod: r.expungeVmGracePeriod ?? DEFAULT_GRACE_PERIOD,
        autoscaleUserId: r.autoscaleUserId ?? null,
        display: r.display === false ? 0 : 1,
        accountId: owner.id,
        domainId: owner.domainId,
        created: this.clock.now(),
      };
      await this.validate(trx, profile, r.otherDeployParams);
      await groups.insertProfile(trx, profile);
      await eventLog(trx, this.clock, {
        type: 'AUTOSCALEVMPROFILE.CREATE',
        description: `creating autoscale vm profile ${profile.id}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: profile.id,
        resourceType: 'AutoScaleVmProfile',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: AS_PROFILE_JOBS.created,
        params: { id: profile.id },
        instanceType: 'AutoScaleVmProfile',
        instanceId: profile.id,
      });
      return { profile, jobId };
    });
    this.jobs.kick();
    return out;
  }

  find(id: string): Promise<AsVmProfile | undefined> {
    return groups.profile(this.store.db, id);
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: {
      id?: string;
      templateId?: string;
      serviceOfferingId?: string;
      otherDeployParams?: string;
      zoneId?: string;
      display?: boolean;
    },
  ): Promise<AsVmProfile[]> {
    const accountIds = await scopeAccounts(this.store.db, caller, scope);
    return groups.profiles(this.store.db, { ...f, accountIds });
  }

  /** The profile must be the caller's; the job does the rest. */
  async submit(
    caller: Caller,
    cmd: string,
    kind: typeof AS_PROFILE_JOBS.update | typeof AS_PROFILE_JOBS.remove,
    params: { id: string } & ProfileChange,
  ): Promise<string> {
    await this.owned(this.store.db, caller, params.id);
    return this.jobs.run(caller, { cmd, kind, params, instanceType: 'AutoScaleVmProfile', instanceId: params.id });
  }

  /**
   * updateAutoScaleVmProfile: what changes how VMs are made (all but the service offering and the
   * display flag) may change only while every group using the profile is Disabled.
   */
  private async update(db: Db, caller: Caller, c: { id: string } & ProfileChange): Promise<JobResult> {
    const current = await this.owned(db, caller, c.id);
    const physical =
      c.templateId !== undefined ||
      c.autoscaleUserId !== undefined ||
      c.counterParams !== undefined ||
      c.otherDeployParams !== undefined ||
      c.expungeVmGracePeriod !== undefined ||
      c.userData !== undefined;
    const p: AsVmProfile = {
      ...current,
      serviceOfferingId: c.serviceOfferingId ?? current.serviceOfferingId,
      templateId: c.templateId ?? current.templateId,
      autoscaleUserId: c.autoscaleUserId ?? current.autoscaleUserId,
      userData: c.userData ?? current.userData,
      expungeVmGracePeriod: c.expungeVmGracePeriod ?? current.expungeVmGracePeriod,
      display: c.display === undefined ? current.display : c.display ? 1 : 0,
      // An empty map leaves the parameters as they were (setOtherDeployParamsForUpdate).
      otherDeployParams: c.otherDeployParams?.length ? joinParams(c.otherDeployParams) : current.otherDeployParams,
      counterParams: c.counterParams?.length ? joinParams(c.counterParams) : current.counterParams,
    };
    for (const g of await groups.groups(db, { profileId: c.id })) {
      if (physical && g.state !== 'DISABLED')
        throw invalid(
          'The AutoScale Vm Profile can be updated only if the Vm Group it is associated with is disabled in state',
          'id',
        );
    }
    await this.checkDeployValues(db, c.otherDeployParams ?? []);
    await this.validate(db, p, c.otherDeployParams);
    const { id: _id, ...patch } = p;
    await groups.updateProfile(db, c.id, patch);
    await eventLog(db, this.clock, {
      type: 'AUTOSCALEVMPROFILE.UPDATE',
      description: `updating autoscale vm profile ${c.id}`,
      accountId: p.accountId,
      domainId: p.domainId,
      userId: caller.userId,
      resourceId: c.id,
      resourceType: 'AutoScaleVmProfile',
    });
    return obj(c.id);
  }

  private async remove(db: Db, caller: Caller, id: string): Promise<JobResult> {
    const p = await this.owned(db, caller, id);
    if (await groups.profileInUse(db, id))
      throw invalid('Cannot delete AutoScale Vm Profile when it is in use by one more vm groups', 'id');
    await groups.removeProfile(db, id);
    await eventLog(db, this.clock, {
      type: 'AUTOSCALEVMPROFILE.DELETE',
      description: `deleting autoscale vm profile ${id}`,
      accountId: p.accountId,
      domainId: p.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'AutoScaleVmProfile',
    });
    return { type: 'success' };
  }

  private async owned(db: Db, caller: Caller, id: string): Promise<AsVmProfile> {
    const p = await groups.profile(db, id);
    if (!p) throw invalid('Unable to find AutoScale Vm Profile', 'id');
    assertAccess(caller, p, 'AutoScaleVmProfile', id);
    return p;
  }

  /** checkValidityAndPersist (profile). */
  private async validate(db: Db, p: AsVmProfile, given: Pairs | undefined): Promise<void> {
    const offering = await catalogStore.serviceOffering(db, p.serviceOfferingId);
    if (!offering) throw invalid('Unable to find service offering by id', 'serviceofferingid');
    if (offering.isCustomized)
      throw invalid('Unable to use dynamic service offering in AutoScale vm profile', 'serviceofferingid');
    const t = await templateStore.get(db, p.templateId);
    if (!t || t.removed) throw invalid('Unable to use the given template.', 'templateid');
    if (p.expungeVmGracePeriod < 0)
      throw invalid('Expunge Vm Grace Period cannot be less than 0.', 'expungevmgraceperiod');
    if (this.config.num('autoscale.stats.interval', 60) <= 0)
      throw invalid('Global setting autoscale.stats.interval has to be set to larger than 0');
    checkDeployParams(
      parseParams(p.otherDeployParams),
      (given ?? []).map((e) => e.name ?? ''),
    );
  }

  /** The dispatcher's checks of a deployVirtualMachine made of the profile: ids name what they should, sizes are numbers. */
  private async checkDeployValues(db: Db, given: Pairs): Promise<void> {
    for (const { name, value } of given) {
      const kind = name ? DEPLOY_ENTITIES[name] : undefined;
      if (!kind || value === undefined) continue;
      for (const id of value.split(',').filter((v) => v !== '')) {
        if (!(await entityStore.exists(db, kind, id)))
          throw invalid(
            `Unable to execute API command deployvirtualmachine due to invalid value. Invalid parameter ${name} value=${id} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
            'otherdeployparams',
          );
      }
    }
  }
}

const obj = (id: string): JobResult => ({ type: 'object', instanceType: 'AutoScaleVmProfile', id });
