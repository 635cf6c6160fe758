import { invalid } from '../../domain/errors.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import type { Db } from '../../store/db.js';

/**
 * AutoScaleManager.checkIfVmActionAllowed: a VM of a group that is not Disabled belongs to the group;
 * stopping, rebooting, destroying it or taking it off the load balancer waits until the group is disabled.
 */
export async function assertVmActionAllowed(db: Db, vmIds: string[]): Promise<void> {
  for (const m of await groups.groupsOfVms(db, vmIds)) {
    const g = await groups.group(db, m.groupId);
    if (g && g.state !== 'DISABLED')
      throw invalid(
        'Cannot perform actions on VM in an AutoScale VM group, Please disable the VM group and retry.',
        'id',
      );
  }
}

/** Whether a load balancer rule is an autoscale group's (AutoScaleVmGroupDao.isAutoScaleLoadBalancer). */
export async function isAutoScaleLoadBalancer(db: Db, lbRuleId: string): Promise<boolean> {
  return (await groups.groups(db, { lbRuleId })).length > 0;
}
