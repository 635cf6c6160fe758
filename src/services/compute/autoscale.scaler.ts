import { randomInt } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import {
  parseParams,
  vmHostName,
  type AsGroupState,
  type AsVmGroup,
  type AsVmProfile,
} from '../../domain/autoscale.js';
import { DomainError } from '../../domain/errors.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { affinityStore } from '../../store/affinity.store.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import { autoScaleRuleStore as rules } from '../../store/autoscale.store.js';
import { catalogStore } from '../../store/catalog.store.js';
import type { Db, Store } from '../../store/db.js';
import { loadBalancerStore } from '../../store/loadbalancer.store.js';
import { networkStore } from '../../store/network.store.js';
import { sshKeyStore } from '../../store/sshkey.store.js';
import { vmStore } from '../../store/vm.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { dummyStat } from './autoscale.stats.js';
import type { LoadBalancerService } from '../network/loadbalancer.service.js';
import type { DeployRequest, VmService } from './vm.service.js';

export const AS_SCALE_JOBS = { up: 'autoscale.scaleup', down: 'autoscale.scaledown' } as const;

/** What the group's jobs show as their command (they are the system's, as CloudStack's scaling threads are). */
const CMD = {
  up: 'com.cloud.network.as.AutoScaleManager.doScaleUp',
  down: 'com.cloud.network.as.AutoScaleManager.doScaleDown',
  vm: 'com.cloud.network.as.AutoScaleManager.createNewVM',
};

interface ScaleParams {
  groupId: string;
  count: number;
  from: AsGroupState;
}

/**
 * doScaleUp and doScaleDown. The group moves to Scaling before its job is submitted (so no second
 * decision scales it meanwhile) and back to the state it was in when the job ends, unless someone
 * disabled it in between. New VMs are deployed from the profile as the group owner's and join the
 * rule once running; a VM scaled down leaves the rule first, stays up for the profile's grace period
 * (existing connections close), then is destroyed and expunged.
 */
export class AutoScaler {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private vms: VmService,
    private lbs: LoadBalancerService,
    private system: () => Promise<Caller>,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<ScaleParams>(AS_SCALE_JOBS.up, ({ params }) => this.finally(params, () => this.up(params)));
    jobs.register<ScaleParams>(AS_SCALE_JOBS.down, ({ params }) => this.finally(params, () => this.down(params)));
  }

  /** checkConditionUp, then Scaling and the job; false when the group stays as it is. */
  async scaleUp(groupId: string, count: number): Promise<boolean> {
    return this.start(groupId, count, AS_SCALE_JOBS.up, CMD.up, (g, n) => n + count <= g.maxMembers);
  }

  /** checkConditionDown, then Scaling and the job. */
  async scaleDown(groupId: string, count: number): Promise<boolean> {
    return this.start(groupId, count, AS_SCALE_JOBS.down, CMD.down, (g, n) => n - 1 >= g.minMembers);
  }

  /** AutoScaleManagerImpl.destroyVm: destroyed with expunge, as the system. */
  async destroyVm(vmId: string): Promise<void> {
    const vm = await vmStore.get(this.store.db, vmId);
    if (!vm) return;
    const system = await this.system();
    await this.jobs.wait(await this.vms.submitDestroy(system, vmId, CMD.down, { expunge: true, volumeIds: [] }));
  }

  private async start(
    groupId: string,
    count: number,
    kind: string,
    cmd: string,
    fits: (g: AsVmGroup, available: number) => boolean,
  ): Promise<boolean> {
    const system = await this.system();
    const started = await this.store.tx(async (trx) => {
      const g = await groups.group(trx, groupId);
      // Only an Enabled group scales (checkAutoScaleVmGroup and the monitor task look at no other).
      if (!g || g.state !== 'ENABLED' || !fits(g, await groups.availableVms(trx, groupId))) return false;
      if (!(await groups.moveState(trx, groupId, 'ENABLED', 'SCALING'))) return false;
      await this.jobs.submit(trx, system, {
        cmd,
        kind,
        params: { groupId, count, from: g.state },
        instanceType: 'AutoScaleVmGroup',
        instanceId: groupId,
      });
      return true;
    });
    if (started) this.jobs.kick();
    return started;
  }

  private async finally(p: ScaleParams, run: () => Promise<void>): Promise<JobResult> {
    try {
      await run();
    } finally {
      await this.store.tx((trx) => groups.moveState(trx, p.groupId, 'SCALING', p.from));
    }
    return { type: 'success' };
  }

  private async up(p: ScaleParams): Promise<void> {
    for (let i = 0; i < p.count; i++) if (!(await this.addVm(p.groupId))) return;
  }

  /** One VM: deployed and started, then on the rule, then the scale-up policies' quiet time begins. */
  private async addVm(groupId: string): Promise<boolean> {
    const g = await groups.group(this.store.db, groupId);
    const profile = g && (await groups.profile(this.store.db, g.profileId));
    if (!g || !profile) return false;
    const event = (level: 'INFO' | 'ERROR', description: string) =>
      this.store.tx((trx) => this.event(trx, g, 'AUTOSCALEVMGROUP.SCALEUP', level, description));
    let deployed: { vmId: string; jobId: string };
    try {
      deployed = await this.deploy(g, profile);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await event(
        'ERROR',
        `Can not deploy new VM for scaling up in the group ${g.id}: ${e.message}. Waiting for next round`,
      );
      return false;
    }
    await this.store.tx(async (trx) => {
      await groups.addVm(trx, {
        groupId: g.id,
        vmId: deployed.vmId,
        accountId: g.accountId,
        created: this.clock.now(),
      });
      await groups.insertStat(trx, dummyStat(g, this.clock.now()));
    });
    const start = await this.jobs.wait(deployed.jobId);
    if (start.status !== 1) {
      await event('ERROR', `Failed to start VM ${deployed.vmId} in AutoScale VM group ${g.id}`);
      await this.store.tx((trx) => groups.removeVm(trx, deployed.vmId));
      await this.destroyVm(deployed.vmId);
      return false;
    }
    await this.store.tx(async (trx) => {
      await groups.insertStat(trx, dummyStat(g, this.clock.now()));
      await this.lbs.addGroupMember(trx, g.lbRuleId, deployed.vmId);
      await this.quiet(trx, g.id);
      await this.event(
        trx,
        g,
        'AUTOSCALEVMGROUP.SCALEUP',
        'INFO',
        `Started and assigned LB rule for VM ${deployed.vmId} in AutoScale VM group ${g.id}`,
      );
    });
    return true;
  }

  /**
   * createNewVM: the profile's template and offering in its zone, on the rule's network first and the
   * profile's other networks after it; the other deploy parameters that name nothing are left out.
   */
  private async deploy(g: AsVmGroup, profile: AsVmProfile): Promise<{ vmId: string; jobId: string }> {
    const db = this.store.db;
    const params = parseParams(profile.otherDeployParams);
    const lb = await loadBalancerStore.get(db, g.lbRuleId);
    if (!lb) throw new DomainError('NotFound', `Unable to find load balancer with id: ${g.lbRuleId}`);
    const others: string[] = [];
    for (const id of params.get('networkids')?.split(',') ?? [])
      if (id !== lb.networkId && (await networkStore.get(db, id))) others.push(id);
    const keyPairs: string[] = [];
    for (const name of params.get('keypairs')?.split(',') ?? [])
      if (await sshKeyStore.byName(db, profile.accountId, name)) keyPairs.push(name);
    const affinityGroupIds: string[] = [];
    for (const id of params.get('affinitygroupids')?.split(',') ?? [])
      if (await affinityStore.get(db, id)) affinityGroupIds.push(id);
    const disk = async (key: string) => {
      const id = params.get(key);
      return id && (await catalogStore.diskOffering(db, id)) ? id : undefined;
    };
    const long = (key: string) => {
      const v = params.get(key);
      return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
    };
    const name = await this.store.tx(async (trx) => {
      const fresh = (await groups.group(trx, g.id))!;
      await groups.updateGroup(trx, g.id, { nextVmSeq: fresh.nextVmSeq + 1 });
      return vmHostName(fresh.name, fresh.nextVmSeq, randomLetters(6));
    });
    const r: DeployRequest = {
      zoneId: profile.zoneId,
      serviceOfferingId: profile.serviceOfferingId,
      templateId: profile.templateId,
      name,
      displayName: name,
      networkIds: [lb.networkId, ...others],
      keyPairs,
      affinityGroupIds,
      userData: profile.userData ?? undefined,
      diskOfferingId: await disk('diskofferingid'),
      size: long('disksize'),
      rootDiskSize: long('rootdisksize'),
      overrideDiskOfferingId: await disk('overridediskofferingid'),
      startVm: true,
      dynamicScalingEnabled: true,
      transport: 'GET',
      ownerAccountId: profile.accountId,
    };
    const { vm, jobId } = await this.vms.deploy(await this.system(), r, CMD.vm);
    return { vmId: vm.id, jobId };
  }

  private async down(p: ScaleParams): Promise<void> {
    for (let i = 0; i < p.count; i++) {
      const g = await groups.group(this.store.db, p.groupId);
      if (!g || (i > 0 && (await groups.availableVms(this.store.db, g.id)) - 1 < g.minMembers)) return;
      if (!(await this.removeVm(g))) return;
    }
  }

  /** removeLBrule takes the rule's last member; the group forgets it at once, destroys it after the grace period. */
  private async removeVm(g: AsVmGroup): Promise<boolean> {
    const vmId = await this.store.tx(async (trx) => {
      const members = new Set((await loadBalancerStore.members(trx, [g.lbRuleId])).map((m) => m.vmId));
      const last = (await groups.groupVms(trx, g.id)).filter((m) => members.has(m.vmId)).at(-1);
      if (!last) {
        await this.event(
          trx,
          g,
          'AUTOSCALEVMGROUP.SCALEDOWN',
          'ERROR',
          `Failed to remove LB rule for a VM in AutoScale VM group ${g.id}`,
        );
        return undefined;
      }
      await this.lbs.removeGroupMember(trx, g.lbRuleId, last.vmId);
      await groups.removeVm(trx, last.vmId);
      await this.quiet(trx, g.id);
      await groups.insertStat(trx, dummyStat(g, this.clock.now()));
      return last.vmId;
    });
    if (!vmId) return false;
    const profile = await groups.profile(this.store.db, g.profileId);
    if (profile && profile.expungeVmGracePeriod > 0) await this.clock.sleep(profile.expungeVmGracePeriod * 1000);
    const destroyed = await this.destroyVm(vmId).then(
      () => true,
      () => false,
    );
    await this.store.tx((trx) =>
      this.event(
        trx,
        g,
        'AUTOSCALEVMGROUP.SCALEDOWN',
        destroyed ? 'INFO' : 'ERROR',
        `${destroyed ? 'Destroyed' : 'Failed to destroy'} VM ${vmId} in AutoScale VM group ${g.id}`,
      ),
    );
    return destroyed;
  }

  /** The quiet time starts again for the group's first scale-up policy (doScaleUp and doScaleDown both set it there). */
  private async quiet(db: Db, groupId: string): Promise<void> {
    const links = await groups.groupPolicies(db, [groupId]);
    const policies = await rules.policiesByIds(
      db,
      links.map((l) => l.policyId),
    );
    const byId = new Map(policies.map((p) => [p.id, p]));
    const up = links.map((l) => byId.get(l.policyId)).find((p) => p?.action === 'SCALEUP');
    if (up) await rules.updatePolicy(db, up.id, { lastQuietTime: this.clock.now() });
  }

  private async event(db: Db, g: AsVmGroup, type: string, level: 'INFO' | 'ERROR', description: string): Promise<void> {
    await eventLog(db, this.clock, {
      type,
      level,
      description,
      accountId: g.accountId,
      domainId: g.domainId,
      resourceId: g.id,
      resourceType: 'AutoScaleVmGroup',
    });
  }
}

/** RandomStringUtils.random(6, letters only), lower-cased by getNextVmHostName. */
function randomLetters(n: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return Array.from({ length: n }, () => letters[randomInt(letters.length)]).join('');
}
