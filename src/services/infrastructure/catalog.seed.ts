import { THROTTLING_CONFIG } from '../identity/throttle.service.js';
import { AUTOSCALE_CONFIG } from '../compute/autoscale.seed.js';
import { SCOPED_SETTINGS } from './settings.scopes.js';
/**
 * The built-in catalogue a fresh CloudStack management server has: offerings, network
 * offerings, OS types and the simulator's templates (setup/db/templates.simulator.sql).
 */
export const SERVICE_OFFERINGS = [
  { name: 'Small Instance', displayText: 'Small Instance', cpuNumber: 1, cpuSpeed: 500, memory: 512 },
  { name: 'Medium Instance', displayText: 'Medium Instance', cpuNumber: 1, cpuSpeed: 1000, memory: 1024 },
  { name: 'Large Instance', displayText: 'Large Instance', cpuNumber: 2, cpuSpeed: 1000, memory: 2048 },
  { name: 'XLarge Instance', displayText: 'XLarge Instance', cpuNumber: 4, cpuSpeed: 2000, memory: 8192 },
];

export const DISK_OFFERINGS = [
  { name: 'Small', displayText: 'Small Disk, 5 GB', diskSize: 5, isCustomized: 0 as const },
  { name: 'Medium', displayText: 'Medium Disk, 20 GB', diskSize: 20, isCustomized: 0 as const },
  { name: 'Large', displayText: 'Large Disk, 100 GB', diskSize: 100, isCustomized: 0 as const },
  { name: 'Custom', displayText: 'Custom Disk', diskSize: 0, isCustomized: 1 as const },
];

const VR = ['VirtualRouter'];
export const NETWORK_OFFERINGS = [
  {
    name: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
    displayText: 'Offering for Isolated networks with Source Nat service enabled',
    guestIpType: 'Isolated',
    availability: 'Required',
    isDefault: 1 as const,
    specifyVlan: 0 as const,
    specifyIpRanges: 0 as const,
    forVpc: 0 as const,
    services: {
      Dhcp: VR,
      Dns: VR,
      UserData: VR,
      SourceNat: VR,
      StaticNat: VR,
      PortForwarding: VR,
      Firewall: VR,
      Lb: VR,
      Vpn: VR,
    },
  },
  {
    name: 'DefaultIsolatedNetworkOffering',
    displayText: 'Offering for Isolated networks with no Source Nat service',
    guestIpType: 'Isolated',
    availability: 'Optional',
    isDefault: 1 as const,
    specifyVlan: 0 as const,
    specifyIpRanges: 1 as const,
    forVpc: 0 as const,
    services: { Dhcp: VR, Dns: VR, UserData: VR },
  },
  {
    name: 'DefaultSharedNetworkOfferingWithSGService',
    displayText: 'Offering for Shared Security group enabled networks',
    guestIpType: 'Shared',
    availability: 'Optional',
    isDefault: 1 as const,
    specifyVlan: 1 as const,
    specifyIpRanges: 1 as const,
    forVpc: 0 as const,
    services: { Dhcp: VR, Dns: VR, UserData: VR, SecurityGroup: ['SecurityGroupProvider'] },
  },
  {
    name: 'DefaultSharedNetworkOffering',
    displayText: 'Offering for Shared networks',
    guestIpType: 'Shared',
    availability: 'Optional',
    isDefault: 1 as const,
    specifyVlan: 1 as const,
    specifyIpRanges: 1 as const,
    forVpc: 0 as const,
    services: { Dhcp: VR, Dns: VR, UserData: VR },
  },
  {
    name: 'DefaultIsolatedNetworkOfferingForVpcNetworks',
    displayText: 'Offering for Isolated VPC networks with Source Nat service enabled',
    guestIpType: 'Isolated',
    availability: 'Optional',
    isDefault: 1 as const,
    specifyVlan: 0 as const,
    specifyIpRanges: 0 as const,
    forVpc: 1 as const,
    services: {
      Dhcp: ['VpcVirtualRouter'],
      Dns: ['VpcVirtualRouter'],
      UserData: ['VpcVirtualRouter'],
      SourceNat: ['VpcVirtualRouter'],
      StaticNat: ['VpcVirtualRouter'],
      PortForwarding: ['VpcVirtualRouter'],
      Lb: ['VpcVirtualRouter'],
      NetworkACL: ['VpcVirtualRouter'],
    },
  },
  {
    name: 'DefaultL2NetworkOffering',
    displayText: 'Offering for L2 networks',
    guestIpType: 'L2',
    availability: 'Optional',
    isDefault: 1 as const,
    specifyVlan: 0 as const,
    specifyIpRanges: 0 as const,
    forVpc: 0 as const,
    services: {},
  },
];

export const OS_TYPES: { description: string; category: string }[] = [
  { description: 'CentOS 5.3 (64-bit)', category: 'CentOS' },
  { description: 'CentOS 7', category: 'CentOS' },
  { description: 'Debian GNU/Linux 12 (64-bit)', category: 'Debian' },
  { description: 'Ubuntu 22.04 LTS', category: 'Ubuntu' },
  { description: 'Other Linux (64-bit)', category: 'Other' },
  { description: 'Windows Server 2019 (64-bit)', category: 'Windows' },
  { description: 'Other (64-bit)', category: 'Other' },
];

const GB = 1024 ** 3;
/**
 * Sizes are what the simulator's secondary storage reports for them: MockStorageManagerImpl
 * preinstalls simulator-domR and simulator-Centos at 2 GiB each, and the template sync on adding
 * the image store copies that size onto the template.
 */
export const TEMPLATES = [
  {
    name: 'SystemVM Template (simulator)',
    displayText: 'SystemVM Template (simulator)',
    os: 'Debian GNU/Linux 12 (64-bit)',
    templateType: 'SYSTEM',
    isPublic: 0 as const,
    isFeatured: 0 as const,
    passwordEnabled: 0 as const,
    format: 'VHD',
    size: 2 * GB,
    isIso: 0 as const,
  },
  {
    name: 'CentOS 5.3(64-bit) no GUI (Simulator)',
    displayText: 'CentOS 5.3(64-bit) no GUI (Simulator)',
    os: 'CentOS 5.3 (64-bit)',
    templateType: 'BUILTIN',
    isPublic: 1 as const,
    isFeatured: 1 as const,
    passwordEnabled: 0 as const,
    format: 'VHD',
    size: 2 * GB,
    isIso: 0 as const,
  },
  {
    name: 'Ubuntu 22.04 (Simulator)',
    displayText: 'Ubuntu 22.04 LTS, password enabled (Simulator)',
    os: 'Ubuntu 22.04 LTS',
    templateType: 'USER',
    isPublic: 1 as const,
    isFeatured: 1 as const,
    passwordEnabled: 1 as const,
    format: 'QCOW2',
    size: 2 * GB,
    isIso: 0 as const,
  },
  {
    name: 'xs-tools.iso',
    displayText: 'XenServer Tools Installer ISO (Simulator)',
    os: 'Other (64-bit)',
    templateType: 'PERHOST',
    isPublic: 1 as const,
    isFeatured: 1 as const,
    passwordEnabled: 0 as const,
    format: 'ISO',
    size: 50 * 1024 ** 2,
    isIso: 1 as const,
  },
];

/** Global settings polystack reads, with CloudStack's defaults. */
export const DEFAULT_CONFIG: { name: string; value: string; category: string; description: string }[] = [
  {
    name: 'default.page.size',
    value: '500',
    category: 'Advanced',
    description: 'Default page size for API list* commands',
  },
  {
    name: 'expunge.delay',
    value: '86400',
    category: 'Advanced',
    description: 'Determines how long (in seconds) to wait before actually expunging destroyed vm.',
  },
  {
    name: 'expunge.interval',
    value: '86400',
    category: 'Advanced',
    description: 'The interval (in seconds) to wait before running the expunge thread.',
  },
  {
    name: 'allow.user.expunge.recover.vm',
    value: 'false',
    category: 'Advanced',
    description: 'Determines whether users can expunge or recover their vm',
  },
  {
    name: 'vm.userdata.max.length',
    value: '32768',
    category: 'Advanced',
    description: 'Max length of vm userdata after base64 decoding.',
  },
  { name: 'instance.name', value: 'VM', category: 'Advanced', description: 'Name of the deployment instance.' },
  {
    name: 'guest.domain.suffix',
    value: 'cloud.internal',
    category: 'Network',
    description: 'Default domain name for vms inside virtualized networks fronted by router',
  },
  {
    name: 'start.retry',
    value: '10',
    category: 'Advanced',
    description: 'Number of times to retry create and start commands',
  },
  ...[
    'deploy',
    'start',
    'stop',
    'reboot',
    'destroy',
    'migrate',
    'restore',
    'snapshot',
    'download',
    'volume',
    'template',
    'vmsnapshot',
  ].map((t) => ({
    name: `polystack.delay.${t}`,
    value: '',
    category: 'Advanced',
    description: `polystack: how long a simulated ${t} takes (1500, 30s, 5m); empty uses simulator.agent.delay.ms`,
  })),
  {
    name: 'custom.diskoffering.size.min',
    value: '1',
    category: 'Advanced',
    description: 'Minimum size in GB for custom disk offering.',
  },
  {
    name: 'custom.diskoffering.size.max',
    value: '1024',
    category: 'Advanced',
    description: 'Maximum size in GB for custom disk offering.',
  },
  {
    name: 'storage.max.volume.size',
    value: '2000',
    category: 'Storage',
    description: 'The maximum size for a volume (in GB).',
  },
  { name: 'vmsnapshot.max', value: '10', category: 'Advanced', description: 'Maximum vm snapshots for a single vm' },
  // Config.SnapshotHourlyMax ... SnapshotMonthlyMax: the most recurring snapshots of an interval a volume keeps (a policy's maxsnaps may not ask more).
  {
    name: 'snapshot.max.hourly',
    value: '8',
    category: 'Snapshots',
    description:
      'Maximum recurring hourly snapshots to be retained for a volume. If the limit is reached, early snapshots from the start of the hour are deleted so that newer ones can be saved. This limit does not apply to manual snapshots. If set to 0, recurring hourly snapshots can not be scheduled.',
  },
  {
    name: 'snapshot.max.daily',
    value: '8',
    category: 'Snapshots',
    description:
      'Maximum recurring daily snapshots to be retained for a volume. If the limit is reached, snapshots from the start of the day are deleted so that newer ones can be saved. This limit does not apply to manual snapshots. If set to 0, recurring daily snapshots can not be scheduled.',
  },
  {
    name: 'snapshot.max.weekly',
    value: '8',
    category: 'Snapshots',
    description:
      'Maximum recurring weekly snapshots to be retained for a volume. If the limit is reached, snapshots from the beginning of the week are deleted so that newer ones can be saved. This limit does not apply to manual snapshots. If set to 0, recurring weekly snapshots can not be scheduled.',
  },
  {
    name: 'snapshot.max.monthly',
    value: '8',
    category: 'Snapshots',
    description:
      'Maximum recurring monthly snapshots to be retained for a volume. If the limit is reached, snapshots from the beginning of the month are deleted so that newer ones can be saved. This limit does not apply to manual snapshots. If set to 0, recurring monthly snapshots can not be scheduled.',
  },
  {
    name: 'allow.public.user.templates',
    value: 'true',
    category: 'Advanced',
    description: 'If false, users will not be able to create public templates.',
  },
  {
    name: 'disable.extraction',
    value: 'false',
    category: 'Advanced',
    description: 'Flag for disabling extraction of templates, isos, snapshots and volumes',
  },
  {
    name: 'simulator.agent.delay.ms',
    value: '100',
    category: 'Advanced',
    description: 'polystack: how long the simulated agent takes to answer a command (ms).',
  },
  // Read by the resource checks here or set by Marvin's data-center configs; values are CloudStack's defaults.
  {
    name: 'check.pod.cidrs',
    value: 'true',
    category: 'Advanced',
    description: 'If true, different pods must belong to different CIDR subnets.',
  },
  {
    name: 'network.gc.wait',
    value: '600',
    category: 'Advanced',
    description: "Time (in seconds) to wait before shutting down a network that's not in used",
  },
  {
    name: 'network.gc.interval',
    value: '600',
    category: 'Advanced',
    description: 'Seconds to wait before checking for networks to shutdown',
  },
  {
    name: 'storage.cleanup.interval',
    value: '86400',
    category: 'Advanced',
    description: 'The interval (in seconds) to wait before running the storage cleanup thread.',
  },
  {
    name: 'vm.op.wait.interval',
    value: '120',
    category: 'Advanced',
    description: 'Time (in seconds) to wait before checking if a previous operation has succeeded',
  },
  { name: 'workers', value: '5', category: 'Advanced', description: 'Number of worker threads.' },
  {
    name: 'account.cleanup.interval',
    value: '86400',
    category: 'Advanced',
    description: 'The interval (in seconds) between cleanup for removed accounts',
  },
  { name: 'expunge.workers', value: '1', category: 'Advanced', description: 'Number of workers performing expunge ' },
  {
    name: 'vm.allocation.algorithm',
    value: 'random',
    category: 'Advanced',
    description:
      "'random', 'firstfit', 'userdispersing', 'userconcentratedpod_random', 'userconcentratedpod_firstfit', 'firstfitleastconsumed' : Order in which hosts within a cluster will be considered for VM/volume allocation.",
  },
  {
    name: 'secstorage.allowed.internal.sites',
    value: '',
    category: 'Advanced',
    description:
      'Comma separated list of cidrs internal to the datacenter that can host template download servers, please note 0.0.0.0 is not a valid site',
  },
  {
    name: 'direct.agent.load.size',
    value: '16',
    category: 'Advanced',
    description: 'The number of direct agents to load each time',
  },
  // CAManager and RootCAProvider (the CA framework).
  {
    name: 'ca.framework.provider.plugin',
    value: 'root',
    category: 'Advanced',
    description: 'The CA provider plugin used when none is named.',
  },
  {
    name: 'ca.framework.cert.keysize',
    value: '2048',
    category: 'Advanced',
    description: 'Bits of the RSA key pairs the CA makes for certificates.',
  },
  {
    name: 'ca.framework.cert.signature.algorithm',
    value: 'SHA256withRSA',
    category: 'Advanced',
    description: 'Signature algorithm of the certificates the CA issues.',
  },
  {
    name: 'ca.framework.cert.validity.period',
    value: '365',
    category: 'Advanced',
    description: 'Days an issued certificate is valid when the request names no duration.',
  },
  {
    name: 'ca.plugin.root.issuer.dn',
    value: 'CN=ca.cloudstack.apache.org',
    category: 'Advanced',
    description: "Distinguished name of the root CA's own certificate.",
  },
  {
    name: 'ipv6.offering.enabled',
    value: 'false',
    category: 'Advanced',
    description: 'Indicates whether creation of IPv6 network/VPC offering is enabled or not.',
  },
  // A network's /64 is taken in the transaction that creates it, so no subnet waits in Allocating for this to free.
  {
    name: 'network.ipv6.prefix.subnet.cleanup.interval',
    value: '1800',
    category: 'Advanced',
    description:
      'Determines how long (in seconds) to wait before deallocating prefix subnets which are in Allocating state. The default value = 1800 seconds.',
  },
  // Read nowhere yet: scaling never changes a root disk's offering, which is this setting's default (false).
  {
    name: 'allow.diskOffering.change.during.scale.vm',
    value: 'false',
    category: 'Advanced',
    description: 'Whether scaling a VM to an offering with another disk offering also changes its root disk offering.',
  },
  {
    name: 'enable.dynamic.scale.vm',
    value: 'false',
    category: 'Advanced',
    description: 'Enables/Disables dynamically scaling a vm',
  },
  {
    name: 'ping.interval',
    value: '60',
    category: 'Advanced',
    description: 'Interval to send application level pings to make sure the connection is still working',
  },
  {
    name: 'ping.timeout',
    value: '2.5',
    category: 'Advanced',
    description: 'Multiplier to ping.interval before announcing an agent has timed out',
  },
  // Config.IncorrectLoginAttemptsAllowed, with the description it has since 4.17 (apache/cloudstack#6254).
  {
    name: 'incorrect.login.attempts.allowed',
    value: '5',
    category: 'Advanced',
    description:
      'Incorrect login attempts allowed before the user is disabled (when value > 0). If value <=0 users are not disabled after failed login attempts',
  },
  {
    name: 'outofbandmanagement.sync.interval',
    value: '300000',
    category: 'Advanced',
    description: 'The interval in milliseconds when the out-of-band management background sync are retrieved',
  },
  // Config.VmwareRootDiskControllerType: no VMware host here reads it; Marvin's test_vm_autoscaling sets it and puts it back.
  {
    name: 'vmware.root.disk.controller',
    value: 'ide',
    category: 'Advanced',
    description:
      'Specify the default disk controller for root volumes, valid values are scsi, ide, osdefault. Please check documentation for more details on each of these values.',
  },
  ...THROTTLING_CONFIG,
  ...AUTOSCALE_CONFIG,
  ...SCOPED_SETTINGS,
];
