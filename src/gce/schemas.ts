import { COMPUTE_PARTS, COMPUTE_RESOURCES } from './schemas.compute.js';

/**
 * The resource shapes this front renders, in a compact notation the discovery document is
 * generated from (and that list filters check field names against):
 * `string`, `integer`, `boolean`, `int64` (a decimal string, as Google sends 64-bit integers),
 * `Name` (another schema), `[T]` (array of T), `{T}` (map of T).
 */
type Props = Record<string, string>;

const op: Props = {
  kind: 'string', id: 'int64', name: 'string', operationType: 'string', targetLink: 'string', targetId: 'int64', status: 'string',
  user: 'string', progress: 'integer', insertTime: 'string', startTime: 'string', endTime: 'string', zone: 'string', region: 'string',
  error: 'OperationError', httpErrorStatusCode: 'integer', httpErrorMessage: 'string', selfLink: 'string', description: 'string',
};

export const RESOURCES: Record<string, Props> = {
  Zone: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', status: 'string', region: 'string',
    selfLink: 'string', availableCpuPlatforms: '[string]', supportsPzs: 'boolean',
  },
  Region: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', status: 'string', zones: '[string]',
    quotas: '[Quota]', selfLink: 'string', supportsPzs: 'boolean',
  },
  MachineType: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', guestCpus: 'integer', memoryMb: 'integer',
    imageSpaceGb: 'integer', maximumPersistentDisks: 'integer', maximumPersistentDisksSizeGb: 'int64', zone: 'string', selfLink: 'string', isSharedCpu: 'boolean',
  },
  Image: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', family: 'string', sourceType: 'string',
    status: 'string', archiveSizeBytes: 'int64', diskSizeGb: 'int64', licenses: '[string]', guestOsFeatures: '[GuestOsFeature]', architecture: 'string',
    sourceDisk: 'string', sourceDiskId: 'string', rawDisk: 'ImageRawDisk',
    labels: '{string}', labelFingerprint: 'string', storageLocations: '[string]', selfLink: 'string',
  },
  DiskType: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', validDiskSize: 'string', zone: 'string',
    defaultDiskSizeGb: 'int64', selfLink: 'string',
  },
  Disk: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', sizeGb: 'int64', zone: 'string', status: 'string',
    type: 'string', sourceImage: 'string', sourceImageId: 'string', users: '[string]', lastAttachTimestamp: 'string', lastDetachTimestamp: 'string',
    physicalBlockSizeBytes: 'int64', sourceSnapshot: 'string', sourceSnapshotId: 'string',
    labels: '{string}', labelFingerprint: 'string', architecture: 'string', selfLink: 'string',
  },
  Network: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', autoCreateSubnetworks: 'boolean',
    subnetworks: '[string]', routingConfig: 'NetworkRoutingConfig', mtu: 'integer', selfLink: 'string', selfLinkWithId: 'string',
    networkFirewallPolicyEnforcementOrder: 'string', IPv4Range: 'string',
  },
  Subnetwork: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', network: 'string', ipCidrRange: 'string',
    gatewayAddress: 'string', region: 'string', privateIpGoogleAccess: 'boolean', privateIpv6GoogleAccess: 'string', stackType: 'string', purpose: 'string',
    enableFlowLogs: 'boolean', secondaryIpRanges: '[SubnetworkSecondaryRange]', fingerprint: 'string', selfLink: 'string',
  },
  Address: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', address: 'string', status: 'string', region: 'string',
    users: '[string]', networkTier: 'string', addressType: 'string', ipVersion: 'string', purpose: 'string', subnetwork: 'string', network: 'string',
    prefixLength: 'integer', labels: '{string}', labelFingerprint: 'string', selfLink: 'string',
  },
  Route: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', network: 'string', destRange: 'string', priority: 'integer',
    tags: '[string]', nextHopGateway: 'string', nextHopIp: 'string', nextHopInstance: 'string', nextHopNetwork: 'string', nextHopIlb: 'string',
    nextHopVpnTunnel: 'string', routeType: 'string', routeStatus: 'string', selfLink: 'string',
  },

  Firewall: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', network: 'string', priority: 'integer',
    direction: 'string', sourceRanges: '[string]', destinationRanges: '[string]', sourceTags: '[string]', targetTags: '[string]',
    allowed: '[FirewallRule]', denied: '[FirewallRule]', disabled: 'boolean', logConfig: 'FirewallLogConfig', selfLink: 'string',
  },
  Instance: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', tags: 'Tags', machineType: 'string',
    status: 'string', statusMessage: 'string', zone: 'string', canIpForward: 'boolean', networkInterfaces: '[NetworkInterface]',
    disks: '[AttachedDisk]', metadata: 'Metadata', serviceAccounts: '[ServiceAccount]', scheduling: 'Scheduling', cpuPlatform: 'string',
    labels: '{string}', labelFingerprint: 'string', deletionProtection: 'boolean', startRestricted: 'boolean', fingerprint: 'string',
    lastStartTimestamp: 'string', lastStopTimestamp: 'string', hostname: 'string', selfLink: 'string', minCpuPlatform: 'string', displayDevice: 'DisplayDevice',
  },
  Operation: op,
  Project: {
    kind: 'string', id: 'int64', creationTimestamp: 'string', name: 'string', description: 'string', commonInstanceMetadata: 'Metadata',
    quotas: '[Quota]', defaultServiceAccount: 'string', defaultNetworkTier: 'string', xpnProjectStatus: 'string', selfLink: 'string',
  },
  SerialPortOutput: { kind: 'string', contents: 'string', start: 'int64', next: 'int64', selfLink: 'string' },
  ...COMPUTE_RESOURCES,
};

/** Shapes that only appear inside resources or as request bodies. */
export const PARTS: Record<string, Props> = {
  Empty: {},
  Quota: { metric: 'string', limit: 'number', usage: 'number' },
  GuestOsFeature: { type: 'string' },
  NetworkRoutingConfig: { routingMode: 'string' },
  FirewallRule: { IPProtocol: 'string', ports: '[string]' },
  FirewallLogConfig: { enable: 'boolean' },
  Tags: { items: '[string]', fingerprint: 'string' },
  Metadata: { kind: 'string', fingerprint: 'string', items: '[MetadataItem]' },
  MetadataItem: { key: 'string', value: 'string' },
  AccessConfig: { kind: 'string', type: 'string', name: 'string', natIP: 'string', networkTier: 'string' },
  NetworkInterface: {
    kind: 'string', name: 'string', network: 'string', subnetwork: 'string', networkIP: 'string', fingerprint: 'string', stackType: 'string',
    accessConfigs: '[AccessConfig]',
  },
  AttachedDiskInitializeParams: { diskName: 'string', diskSizeGb: 'int64', diskType: 'string', sourceImage: 'string', sourceSnapshot: 'string', labels: '{string}' },
  AttachedDisk: {
    kind: 'string', type: 'string', mode: 'string', source: 'string', deviceName: 'string', index: 'integer', boot: 'boolean', autoDelete: 'boolean',
    interface: 'string', diskSizeGb: 'int64', licenses: '[string]', initializeParams: 'AttachedDiskInitializeParams', architecture: 'string',
  },
  ServiceAccount: { email: 'string', scopes: '[string]' },
  Scheduling: { onHostMaintenance: 'string', automaticRestart: 'boolean', preemptible: 'boolean', provisioningModel: 'string' },
  OperationError: { errors: '[OperationErrorItem]' },
  OperationErrorItem: { code: 'string', message: 'string', location: 'string' },
  InstancesSetLabelsRequest: { labels: '{string}', labelFingerprint: 'string' },
  ZoneSetLabelsRequest: { labels: '{string}', labelFingerprint: 'string' },
  DisksResizeRequest: { sizeGb: 'int64' },
  UsableSubnetwork: {
    subnetwork: 'string', network: 'string', ipCidrRange: 'string', stackType: 'string', purpose: 'string', secondaryIpRanges: '[SubnetworkSecondaryRange]',
  },
  UsableSubnetworksAggregatedList: { kind: 'string', id: 'string', items: '[UsableSubnetwork]', nextPageToken: 'string', selfLink: 'string', warning: 'Warning' },
  SubnetworkSecondaryRange: { rangeName: 'string', ipCidrRange: 'string' },
  SubnetworksExpandIpCidrRangeRequest: { ipCidrRange: 'string' },
  SubnetworksSetPrivateIpGoogleAccessRequest: { privateIpGoogleAccess: 'boolean' },
  RegionSetLabelsRequest: { labels: '{string}', labelFingerprint: 'string' },
  ImageRawDisk: { source: 'string', containerType: 'string', sha1Checksum: 'string' },
  Warning: { code: 'string', message: 'string', data: '[WarningData]' },
  WarningData: { key: 'string', value: 'string' },
  ...COMPUTE_PARTS,
};

/** Root field names of a resource, for list filters. */
export const fieldsOf = (schema: string): ReadonlySet<string> => new Set(Object.keys(RESOURCES[schema] ?? PARTS[schema] ?? {}));
