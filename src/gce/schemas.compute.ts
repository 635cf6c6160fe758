/** Shapes of snapshots, instance templates and the instance methods of instances.more.ts (notation: schemas.ts). */
type Props = Record<string, string>;

export const COMPUTE_RESOURCES: Record<string, Props> = {
  Snapshot: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', status: 'string', sourceDisk: 'string',
    sourceDiskId: 'string', diskSizeGb: 'int64', storageBytes: 'int64', storageBytesStatus: 'string', licenses: '[string]', labels: '{string}',
    labelFingerprint: 'string', storageLocations: '[string]', autoCreated: 'boolean', snapshotType: 'string', architecture: 'string', selfLink: 'string',
  },
  InstanceTemplate: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', properties: 'InstanceProperties', region: 'string',
    sourceInstance: 'string', selfLink: 'string',
  },
};

export const COMPUTE_PARTS: Record<string, Props> = {
  InstanceProperties: {
    description: 'string', machineType: 'string', canIpForward: 'boolean', disks: '[AttachedDisk]', networkInterfaces: '[NetworkInterface]',
    metadata: 'Metadata', labels: '{string}', tags: 'Tags', serviceAccounts: '[ServiceAccount]', scheduling: 'Scheduling', minCpuPlatform: 'string',
  },
  DisplayDevice: { enableDisplay: 'boolean' },
  GlobalSetLabelsRequest: { labels: '{string}', labelFingerprint: 'string' },
  InstancesSetMachineTypeRequest: { machineType: 'string' },
  InstancesSetServiceAccountRequest: { email: 'string', scopes: '[string]' },
  InstancesSetMinCpuPlatformRequest: { minCpuPlatform: 'string' },
  GuestAttributes: { kind: 'string', queryPath: 'string', variableKey: 'string', variableValue: 'string', queryValue: 'GuestAttributesValue', selfLink: 'string' },
  GuestAttributesValue: { items: '[GuestAttributesEntry]' },
  GuestAttributesEntry: { namespace: 'string', key: 'string', value: 'string' },
  Screenshot: { kind: 'string', contents: 'string' },
  InstancesGetEffectiveFirewallsResponse: { firewalls: '[Firewall]', firewallPolicys: '[FirewallPolicy]' },
  FirewallPolicy: { name: 'string', type: 'string' },
};
