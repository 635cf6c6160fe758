import type { CommandDef } from '../command.js';
import { accountCommands } from './account.commands.js';
import { domainCommands } from './domain.commands.js';
import { userCommands } from './user.commands.js';
import { twoFactorCommands } from './twofactor.commands.js';
import { resourceDetailCommands } from './resourcedetail.commands.js';
import { roleCommands } from './role.commands.js';
import { regionCommands } from './region.commands.js';
import { portableIpCommands } from './portableip.commands.js';
import { guestVlanCommands } from './guestvlan.commands.js';
import { caCommands } from './ca.commands.js';
import { oobmCommands } from './oobm.commands.js';
import { annotationCommands } from './annotation.commands.js';
import { projectCommands } from './project.commands.js';
import { projectRoleCommands } from './projectrole.commands.js';
import { networkPermissionCommands } from './networkpermission.commands.js';
import { limitCommands } from './limit.commands.js';
import { eventCommands } from './event.commands.js';
import { catalogCommands } from './catalog.commands.js';
import { offeringCommands } from './offering.commands.js';
import { networkOfferingCommands } from './netoffering.commands.js';
import { jobCommands } from './job.commands.js';
import { listApisCommand, metaCommands } from './meta.commands.js';
import { networkCommands, portForwardingCommands, staticNatCommands } from './network.commands.js';
import { securityGroupCommands } from './securitygroup.commands.js';
import { sshKeyCommands } from './sshkey.commands.js';
import { userDataCommands } from './userdata.commands.js';
import { simulatorCommands } from './simulator.commands.js';
import { affinityCommands } from './affinity.commands.js';
import { vmOpsCommands } from './vm-ops.commands.js';
import { configCommands } from './config.commands.js';
import { apiLimitCommands } from './apilimit.commands.js';
import { tagCommands } from './tag.commands.js';
import { vmCommands } from './vm.commands.js';
import { volumeCommands } from './volume.commands.js';
import { snapshotCommands } from './snapshot.commands.js';
import { snapshotPolicyCommands } from './snapshotpolicy.commands.js';
import { templateCommands } from './template.commands.js';
import { firewallCommands } from './firewall.commands.js';
import { vpnCommands } from './vpn.commands.js';
import { ipv6Commands } from './ipv6.commands.js';
import { nicIpCommands } from './nicip.commands.js';
import { loadBalancerCommands } from './loadbalancer.commands.js';
import { networkAclCommands } from './networkacl.commands.js';
import { routerCommands } from './router.commands.js';
import { systemVmCommands } from './systemvm.commands.js';
import { vpcCommands } from './vpc.commands.js';
import { datacenterCommands } from './datacenter.commands.js';
import { physicalNetworkCommands } from './physicalnetwork.commands.js';
import { hostCommands } from './host.commands.js';
import { storageCommands } from './storage.commands.js';
import { vlanRangeCommands } from './vlanrange.commands.js';
import { clusterCommands } from './cluster.commands.js';
import { metricsCommands } from './metrics.commands.js';
import { backupCommands } from './backup.commands.js';
import { autoScaleCommands } from './autoscale.commands.js';

/** login and logout are answered by the authenticator, before a caller exists. */
const AUTHENTICATORS: CommandDef[] = ['login', 'logout'].map((name) => ({
  name,
  handle: () => Promise.reject(new Error(`${name} is handled by the authenticator`)),
}));

const ALL: CommandDef[] = [
  ...AUTHENTICATORS,
  ...metaCommands,
  listApisCommand(() => ALL),
  ...jobCommands,
  ...catalogCommands,
  ...offeringCommands,
  ...networkOfferingCommands,
  ...vmCommands,
  ...vmOpsCommands,
  ...volumeCommands,
  ...snapshotCommands,
  ...snapshotPolicyCommands,
  ...templateCommands,
  ...networkCommands,
  ...portForwardingCommands,
  ...staticNatCommands,
  ...firewallCommands,
  ...vpnCommands,
  ...ipv6Commands,
  ...nicIpCommands,
  ...loadBalancerCommands,
  ...autoScaleCommands,
  ...vpcCommands,
  ...networkAclCommands,
  ...routerCommands,
  ...systemVmCommands,
  ...securityGroupCommands,
  ...sshKeyCommands,
  ...userDataCommands,
  ...tagCommands,
  ...resourceDetailCommands,
  ...accountCommands,
  ...domainCommands,
  ...userCommands,
  ...twoFactorCommands,
  ...roleCommands,
  ...regionCommands,
  ...portableIpCommands,
  ...guestVlanCommands,
  ...caCommands,
  ...oobmCommands,
  ...annotationCommands,
  ...projectCommands,
  ...projectRoleCommands,
  ...networkPermissionCommands,
  ...limitCommands,
  ...eventCommands,
  ...simulatorCommands,
  ...configCommands,
  ...apiLimitCommands,
  ...affinityCommands,
  ...datacenterCommands,
  ...physicalNetworkCommands,
  ...hostCommands,
  ...storageCommands,
  ...vlanRangeCommands,
  ...clusterCommands,
  ...metricsCommands,
  ...backupCommands,
];

/** Every implemented command by lower-cased name; two tables defining one command is a bug, caught at load. */
export const COMMANDS: ReadonlyMap<string, CommandDef> = new Map(
  ALL.map((d, i) => {
    if (ALL.findIndex((x) => x.name.toLowerCase() === d.name.toLowerCase()) !== i)
      throw new Error(`command ${d.name} is defined twice`);
    return [d.name.toLowerCase(), d] as const;
  }),
);
