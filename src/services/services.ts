// The services a front may use, as one interface: declared in the services layer, wired in server/.
import type { AccountAdminService } from './identity/account.admin.service.js';
import type { AccountService } from './identity/account.service.js';
import type { AffinityService } from './compute/affinity.service.js';
import type { AlertService } from './infrastructure/alert.service.js';
import type { AnnotationService } from './annotation.service.js';
import type { ApiThrottle } from './identity/throttle.service.js';
import type { AutoScaleGroupService } from './compute/autoscale.group.service.js';
import type { AutoScaleMonitor } from './compute/autoscale.monitor.js';
import type { AutoScaleProfileService } from './compute/autoscale.profile.service.js';
import type { AutoScaleRuleService } from './compute/autoscale.rules.service.js';
import type { BackupJobs } from './storage/backup.jobs.js';
import type { BackupOfferingService } from './storage/backup.service.js';
import type { BackupScheduleService } from './storage/backup.schedule.js';
import type { CaService } from './infrastructure/ca.service.js';
import type { Caller } from '../domain/caller.js';
import type { CapacityService } from './infrastructure/capacity.service.js';
import type { CatalogService } from './infrastructure/catalog.service.js';
import type { Clock } from '../domain/clock.js';
import type { ClusterService } from './infrastructure/cluster.service.js';
import type { ConfigService } from './infrastructure/config.service.js';
import type { ConsoleService } from './compute/console.service.js';
import type { DiskOfferingService } from './storage/diskoffering.service.js';
import type { DomainService } from './identity/domain.service.js';
import type { EntityKind } from '../store/entity.store.js';
import type { EventService } from './operations/event.service.js';
import type { ExtractService } from './storage/extract.service.js';
import type { FaultService } from './operations/fault.service.js';
import type { FirewallService } from './network/firewall.service.js';
import type { RemoteAccessVpnService } from './network/vpn.service.js';
import type { VpnUserService } from './network/vpnuser.service.js';
import type { GuestIpv6PrefixService } from './network/ipv6.service.js';
import type { GuestVlanService } from './network/guestvlan.service.js';
import type { HostService } from './infrastructure/host.service.js';
import type { InstanceGroupService } from './compute/instancegroup.service.js';
import type { Ipv6FirewallService } from './network/ipv6firewall.service.js';
import type { IsoService } from './storage/iso.service.js';
import type { JobEngine } from '../jobs/engine.js';
import type { JobService } from './operations/job.service.js';
import type { LimitService } from './identity/limit.service.js';
import type { LoadBalancerService } from './network/loadbalancer.service.js';
import type { Logger } from 'pino';
import type { Lookup } from './lookup.service.js';
import type { MetricsService } from './infrastructure/metrics.service.js';
import type { NetworkAclService } from './network/networkacl.service.js';
import type { NetworkLifecycleService } from './network/network.lifecycle.js';
import type { NetworkOfferingService } from './network/networkoffering.service.js';
import type { NetworkPermissionService } from './network/networkpermission.service.js';
import type { NetworkService } from './network/network.service.js';
import type { NicIpService } from './network/nicip.service.js';
import type { NodeService } from './infrastructure/node.service.js';
import type { OobmService } from './infrastructure/oobm.service.js';
import type { PhysicalNetworkService } from './network/physicalnetwork.service.js';
import type { PodService } from './infrastructure/pod.service.js';
import type { PortForwardingService } from './network/portforwarding.service.js';
import type { PortableIpService } from './network/portableip.service.js';
import type { ProjectRoleService } from './identity/projectrole.service.js';
import type { ProjectService } from './identity/project.service.js';
import type { ProviderService } from './network/provider.service.js';
import type { PublicRangeDedication } from './network/vlanrange.dedication.js';
import type { RegionService } from './infrastructure/region.service.js';
import type { ResourceDetailService } from './resourcedetail.service.js';
import type { RoleService } from './identity/role.service.js';
import type { RouterService } from './network/router.service.js';
import type { SecurityGroupService } from './network/securitygroup.service.js';
import type { ServiceOfferingService } from './compute/serviceoffering.service.js';
import type { SimulatedAgent } from '../simulator/agent.js';
import type { SimulatorService } from './infrastructure/simulator.service.js';
import type { SnapshotPolicyService } from './storage/snapshotpolicy.service.js';
import type { SnapshotScheduler } from './storage/snapshot.scheduler.js';
import type { SnapshotService } from './storage/snapshot.service.js';
import type { SshKeyService } from './compute/sshkey.service.js';
import type { StaticNatService } from './network/staticnat.service.js';
import type { StoragePoolService } from './storage/storagepool.service.js';
import type { Store } from '../store/db.js';
import type { SystemVmService } from './infrastructure/systemvm.service.js';
import type { TagService } from './tag.service.js';
import type { TemplateRegistry } from './storage/template.register.js';
import type { TemplateService } from './storage/template.service.js';
import type { TwoFactorService } from './identity/twofactor.service.js';
import type { UserDataService } from './compute/userdata.service.js';
import type { UserService } from './identity/user.service.js';
import type { VlanRangeService } from './network/vlanrange.service.js';
import type { VmOpsService } from './compute/vm.ops.service.js';
import type { VmService } from './compute/vm.service.js';
import type { VmSnapshotService } from './compute/vmsnapshot.service.js';
import type { VolumeService } from './storage/volume.service.js';
import type { VpcOfferingService } from './network/vpcoffering.service.js';
import type { VpcService } from './network/vpc.service.js';
import type { ZoneService } from './infrastructure/zone.service.js';

/** Every service, wired once (server/services.ts createServices); fronts receive this and nothing else. */
export interface Services {
  store: Store;
  clock: Clock;
  log: Logger;
  jobs: JobEngine;
  jobQueries: JobService;
  config: ConfigService;
  accounts: AccountService;
  accountAdmin: AccountAdminService;
  users: UserService;
  twoFactor: TwoFactorService;
  resourceDetails: ResourceDetailService;
  domains: DomainService;
  roles: RoleService;
  regions: RegionService;
  /** The CA framework (CAManagerImpl, RootCAProvider). */
  ca: CaService;
  oobm: OobmService;
  annotations: AnnotationService;
  projects: ProjectService;
  projectRoles: ProjectRoleService;
  networkPermissions: NetworkPermissionService;
  limits: LimitService;
  alerts: AlertService;
  catalog: CatalogService;
  serviceOfferings: ServiceOfferingService;
  diskOfferings: DiskOfferingService;
  networkOfferings: NetworkOfferingService;
  vpcOfferings: VpcOfferingService;
  networks: NetworkService;
  groups: SecurityGroupService;
  keys: SshKeyService;
  userData: UserDataService;
  tags: TagService;
  vms: VmService;
  volumes: VolumeService;
  snapshots: SnapshotService;
  /** createSnapshotPolicy and the rest of the policy commands. */
  snapshotPolicies: SnapshotPolicyService;
  /** Takes the recurring snapshots whose time has come on the cloud's clock (polled by the server). */
  snapshotScheduler: SnapshotScheduler;
  vmSnapshots: VmSnapshotService;
  /** The backup and recovery framework: offerings of a zone's provider, VM backups, schedules. */
  backupOfferings: BackupOfferingService;
  backups: BackupJobs;
  backupSchedules: BackupScheduleService;
  templates: TemplateService;
  registry: TemplateRegistry;
  isos: IsoService;
  extracts: ExtractService;
  portForwarding: PortForwardingService;
  simulator: SimulatorService;
  affinity: AffinityService;
  vmOps: VmOpsService;
  instanceGroups: InstanceGroupService;
  faults: FaultService;
  staticNat: StaticNatService;
  guestNetworks: NetworkLifecycleService;
  firewall: FirewallService;
  /** Remote access VPNs on public addresses, and the accounts' VPN users. */
  vpns: RemoteAccessVpnService;
  vpnUsers: VpnUserService;
  ipv6Firewall: Ipv6FirewallService;
  /** Secondary guest addresses on NICs (addIpToNic). */
  nicIps: NicIpService;
  loadBalancers: LoadBalancerService;
  vpcs: VpcService;
  acls: NetworkAclService;
  routers: RouterService;
  systemVms: SystemVmService;
  /** The infrastructure API: what a zone is built from. */
  zones: ZoneService;
  physicalNetworks: PhysicalNetworkService;
  providers: ProviderService;
  pods: PodService;
  clusters: ClusterService;
  hosts: HostService;
  storagePools: StoragePoolService;
  vlanRanges: VlanRangeService;
  ipv6Prefixes: GuestIpv6PrefixService;
  /** dedicatePublicIpRange / releasePublicIpRange. */
  rangeDedication: PublicRangeDedication;
  /** dedicateGuestVlanRange and its list and release. */
  guestVlans: GuestVlanService;
  /** A region's portable public IP ranges. */
  portableIps: PortableIpService;
  capacity: CapacityService;
  /** The management-server nodes serving this cloud (listManagementServers). */
  nodes: NodeService;
  /** The metrics plugin: host, cluster, zone, VM, management server and database figures. */
  metrics: MetricsService;
  /** createConsoleEndpoint. */
  console: ConsoleService;
  /** VM autoscaling: counters, conditions and policies; VM profiles; groups; the monitor that scales them on the clock. */
  autoscale: {
    rules: AutoScaleRuleService;
    profiles: AutoScaleProfileService;
    groups: AutoScaleGroupService;
    monitor: AutoScaleMonitor;
  };
  /** api.throttling: calls per account per window (the rate-limit plugin). */
  throttle: ApiThrottle;
  /** Whether an id names a row that was ever created. */
  entities: {
    exists(kind: EntityKind, id: string): Promise<boolean>;
    /** Which of these ids no row of the kind was ever created with. */
    missing(kind: EntityKind, ids: readonly string[]): Promise<Set<string>>;
    byInternalId(kind: EntityKind, n: number): Promise<string | undefined>;
  };
  events: EventService;
  agent: SimulatedAgent;
  lookup(): Lookup;
  /** responseCache: list answers are reused until the next write; streamListsOver: a full list of more items is written as it is read. */
  settings: { responseCache: boolean; streamListsOver: number };
  /** The built-in system user, for background work. */
  system(): Promise<Caller>;
}
