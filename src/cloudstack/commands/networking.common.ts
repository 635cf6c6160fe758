import type { Network } from '../../domain/types.js';
import type { Services } from '../../services/services.js';
import { isAdmin } from '../../domain/caller.js';
import { commandClass } from '../cmdclass.js';
import type { CommandContext } from '../command.js';
import type { NetworkNames } from '../views/network.view.js';

/** The class name a job of this command reports. */
export const cmdOf = (ctx: CommandContext) => commandClass(ctx.command, isAdmin(ctx.caller));

/** VPC and ACL-list names for a page of networks, and the public IPv6 address of the router serving each. */
export async function networkNames(s: Services, nets: Network[]): Promise<NetworkNames> {
  const [vpcs, acls, routerIp6] = await Promise.all([
    s.vpcs.byIds(nets.map((n) => n.vpcId).filter((x): x is string => !!x)),
    s.acls.byIds(nets.map((n) => n.aclId).filter((x): x is string => !!x)),
    s.lookup().routerIp6(nets.filter((n) => n.ip6Cidr)),
  ]);
  return { vpcs, acls, routerIp6 };
}
