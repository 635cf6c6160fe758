/** The Java command class CloudStack reports as a job's `cmd`, for the async commands polystack runs. */
const CLASSES: Record<string, string> = {
  deployVirtualMachine: 'user.vm.DeployVMCmd',
  startVirtualMachine: 'user.vm.StartVMCmd',
  stopVirtualMachine: 'user.vm.StopVMCmd',
  rebootVirtualMachine: 'user.vm.RebootVMCmd',
  destroyVirtualMachine: 'user.vm.DestroyVMCmd',
  expungeVirtualMachine: 'admin.vm.ExpungeVMCmd',
  scaleVirtualMachine: 'user.vm.ScaleVMCmd',
  restoreVirtualMachine: 'user.vm.RestoreVMCmd',
  resetPasswordForVirtualMachine: 'user.vm.ResetVMPasswordCmd',
  resetSSHKeyForVirtualMachine: 'user.vm.ResetVMSSHKeyCmd',
  migrateVirtualMachine: 'admin.vm.MigrateVMCmd',
  addNicToVirtualMachine: 'user.vm.AddNicToVMCmd',
  removeNicFromVirtualMachine: 'user.vm.RemoveNicFromVMCmd',
  updateDefaultNicForVirtualMachine: 'user.vm.UpdateDefaultNicForVMCmd',
  createTags: 'user.tag.CreateTagsCmd',
  deleteTags: 'user.tag.DeleteTagsCmd',
  authorizeSecurityGroupIngress: 'user.securitygroup.AuthorizeSecurityGroupIngressCmd',
  authorizeSecurityGroupEgress: 'user.securitygroup.AuthorizeSecurityGroupEgressCmd',
  revokeSecurityGroupIngress: 'user.securitygroup.RevokeSecurityGroupIngressCmd',
  revokeSecurityGroupEgress: 'user.securitygroup.RevokeSecurityGroupEgressCmd',
  createPortForwardingRule: 'user.firewall.CreatePortForwardingRuleCmd',
  deletePortForwardingRule: 'user.firewall.DeletePortForwardingRuleCmd',
  createAffinityGroup: 'user.affinitygroup.CreateAffinityGroupCmd',
  deleteAffinityGroup: 'user.affinitygroup.DeleteAffinityGroupCmd',
  updateVMAffinityGroup: 'user.affinitygroup.UpdateVMAffinityGroupCmd',
  disableStaticNat: 'user.nat.DisableStaticNatCmd',
  associateIpAddress: 'user.address.AssociateIPAddrCmd',
  disassociateIpAddress: 'user.address.DisassociateIPAddrCmd',
};

export function commandClass(command: string, admin: boolean): string {
  const c = CLASSES[command] ?? `user.${command}Cmd`;
  // Admins run the *ByAdmin variants of the user VM commands, and the server reports those.
  if (admin && c.startsWith('user.vm.')) return `org.apache.cloudstack.api.command.admin.vm.${c.slice('user.vm.'.length)}ByAdmin`;
  return `org.apache.cloudstack.api.command.${c}`;
}
