/**
 * The few refusals CloudStack 4.18 itself answers with 530: the command wraps the service's exception
 * in a CloudRuntimeException, which ApiServer reports as an internal error. polystack gives the same
 * answer (the real cloud's error, not a better one); each entry names the Java that does it.
 */
export const CLOUDSTACK_530: { command: string; text: RegExp; java: string }[] = [
  // Both ids, neither id, or one naming nothing: the service's refusal, wrapped.
  {
    command: 'linkUserDataToTemplate',
    text: /^Failed to link userdata to template, due to: /,
    java: 'LinkUserDataToTemplateCmd.execute',
  },
  {
    command: 'removeAnnotation',
    text: /^Only administrators or entity owner users can delete annotations, /,
    java: 'AnnotationManagerImpl.removeAnnotation',
  },
  // A provider name no plugin has: a CloudRuntimeException from the CA manager, in the command or its job.
  ...['listCaCertificate', 'issueCertificate', 'revokeCertificate', 'provisionCertificate'].map((command) => ({
    command,
    text: /^CA provider plugin '.*' not found$/,
    java: 'CAManagerImpl.getCAProvider',
  })),
  {
    command: 'issueCertificate',
    text: /^Failed to generate certificate using CSR due to:/,
    java: 'RootCAProvider.issueCertificate',
  },
  // Out-of-band management: the service's CloudRuntimeExceptions, in the command or its job.
  {
    command: 'configureOutOfBandManagement',
    text: /^Out-of-band management driver is not available\. Please provide a valid driver name\.$/,
    java: 'OutOfBandManagementServiceImpl.configure',
  },
  {
    command: 'issueOutOfBandManagementPowerAction',
    text: /^No enum constant org\.apache\.cloudstack\.outofbandmanagement\.OutOfBandManagement\.PowerOperation\./,
    java: 'IssueOutOfBandManagementPowerActionCmd.execute (PowerOperation.valueOf)',
  },
  ...[
    'issueOutOfBandManagementPowerAction',
    'changeOutOfBandManagementPassword',
    'enableOutOfBandManagementForHost',
    'disableOutOfBandManagementForHost',
  ].map((command) => ({
    command,
    text: /^Out-of-band management is (disabled|not configured)/,
    java: 'OutOfBandManagementServiceImpl.checkOutOfBandManagementEnabledByZoneClusterHost / getConfigForHost',
  })),
  {
    command: 'changeOutOfBandManagementPassword',
    text: /^Cannot change out-of-band management password /,
    java: 'OutOfBandManagementServiceImpl.changePassword',
  },
  // CloudRuntimeExceptions of the 2FA setup: not enabled for the domain, no such provider, a key already there.
  {
    command: 'setupUserTwoFactorAuthentication',
    text: /^(2FA is not enabled for this domain or at global level|Failed to find two factor authentication provider by the name: .*\.|2FA key is already setup for the user account .*)$/,
    java: 'AccountManagerImpl.enableTwoFactorAuthentication',
  },
  // verifyUsingTwoFactorAuthenticationCode's CloudRuntimeException (CloudStack writes no body at all; see GAPS.md).
  {
    command: 'validateUserTwoFactorAuthenticationCode',
    text: /^Two factor authentication is not (enabled on|setup for) the user: /,
    java: 'AccountManagerImpl.verifyUsingTwoFactorAuthenticationCode',
  },
  // UpdateVmNicIpCmd.execute: ServerApiException(INTERNAL_ERROR) for a malformed address or a null VM.
  {
    command: 'updateVmNicIp',
    text: /^(Invalid ip address .*|Failed to update ip address on vm NIC\. Refer to server logs for details\.)$/,
    java: 'UpdateVmNicIpCmd.execute',
  },
  // DetailDaoHelper's UnsupportedOperationException for a type without details.
  ...['addResourceDetail', 'removeResourceDetail'].map((command) => ({
    command,
    text: /^ResourceType \w+ doesn't support metadata$/,
    java: 'ResourceMetaDataManagerImpl.DetailDaoHelper',
  })),
  // The backup commands catch every exception of BackupManagerImpl and answer ServerApiException(INTERNAL_ERROR).
  ...[
    'listBackupSchedule',
    'deleteBackupSchedule',
    'createBackupSchedule',
    'updateBackupSchedule',
    'listBackups',
    'listBackupProviderOfferings',
  ].map((command) => ({
    command,
    text: /^Backup and Recovery feature is disabled for the zone$/,
    java: 'BackupManagerImpl.validateForZone',
  })),
  ...['listBackupSchedule', 'deleteBackupSchedule', 'listBackups'].map((command) => ({
    command,
    text: /^Account '.*' does not have permission to operate with resource VirtualMachine /,
    java: 'AccountManagerImpl.checkAccess, wrapped by the command',
  })),
  {
    command: 'listBackups',
    text: /^Unable to find account .* in domain /,
    java: 'AccountManagerImpl.buildACLSearchParameters, wrapped by ListBackupsCmd',
  },
];
/** Whether an answer is one of those: the command, 530, and the text CloudStack gives. */
export const cloudStacks530 = (command: string, r: { status: number; body: { errortext?: string } }) =>
  r.status === 530 && CLOUDSTACK_530.some((e) => e.command === command && e.text.test(r.body.errortext ?? ''));
