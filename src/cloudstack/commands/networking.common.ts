import type { Network } from '../../domain/types.js';
import type { Services } from '../../server/services.js';
import { isAdmin } from '../../services/context.js';
import { commandClass } from '../cmdclass.js';
import type { CommandContext } from '../command.js';
import type { NetworkNames } from '../views/network.view.js';

/** The class name a job of this command reports. */
export const cmdOf = (ctx: CommandContext) => commandClass(ctx.command, isAdmin(ctx.caller));

/** VPC and ACL-list names for a page of networks. */
export async function networkNames(s: Services, nets: Network[]): Promise<NetworkNames> {
  const [vpcs, acls] = await Promise.all([
    s.vpcs.byIds(nets.map((n) => n.vpcId).filter((x): x is string => !!x)),
    s.acls.byIds(nets.map((n) => n.aclId).filter((x): x is string => !!x)),
  ]);
  return { vpcs, acls };
}
