// The services a front may use, as one interface: declared in the services layer, wired in server/.
import type { AccountAdminService } from './account.admin.service.js';
import type { AccountService } from './account.service.js';
import type { AffinityService } from './affinity.service.js';
import type { AlertService } from './alert.service.js';
import type { AnnotationService } from './annotation.service.js';
import type { ApiThrottle } from './throttle.service.js';
import type { AutoScaleGroupService } from './autoscale.group.service.js';
import type { AutoScaleMonitor } from './autoscale.monitor.js';
import type { AutoScaleProfileService } from './autoscale.profile.service.js';
import type { AutoScaleRuleService } from './autoscale.rules.service.js';
import type { BackupJobs } from './backup.jobs.js';
import type { BackupOfferingService } from './backup.service.js';
import type { BackupScheduleService } from './backup.schedule.js';
import type { CaService } from './ca.service.js';
import type { Caller } from '../domain/caller.js';
import type { CapacityService } from './capacity.service.js';
import type { CatalogService } from './catalog.service.js';
import type { Clock } from '../domain/clock.js';
import type { ClusterService } from './cluster.service.js';
import type { ConfigService } from './config.service.js';
import type { ConsoleService } from './console.service.js';
import type { DiskOfferingService } from './diskoffering.service.js';
import type { DomainService } from './domain.service.js';
import type { EntityKind } from '../store/entity.store.js';
import type { EventService } from './event.service.js';
import type { ExtractService } from './extract.service.js';
import type { FaultService } from './fault.service.js';
import type { FirewallService } from './firewall.service.js';
import type { RemoteAccessVpnService } from './vpn.service.js';
import type { VpnUserService } from './vpnuser.service.js';
import type { GuestIpv6PrefixService } from './ipv6.service.js';
import type { GuestVlanService } from './guestvlan.service.js';
import type { HostService } from './host.service.js';
import type { InstanceGroupService } from './instancegroup.service.js';
import type { Ipv6FirewallService } from './ipv6firewall.service.js';
import type { IsoService } from './iso.service.js';
import type { JobEngine } from '../jobs/engine.js';
import type { JobService } from './job.service.js';
import type { LimitService } from './limit.service.js';
import type { LoadBalancerService } from './loadbalancer.service.js';
import type { Logger } from 'pino';
import type { Lookup } from './lookup.service.js';
import type { MetricsService } from './metrics.service.js';
import type { NetworkAclService } from './networkacl.service.js';
import type { NetworkLifecycleService } from './network.lifecycle.js';
import type { NetworkOfferingService } from './networkoffering.service.js';
import type { NetworkPermissionService } from './networkpermission.service.js';
import type { NetworkService } from './network.service.js';
import type { NicIpService } from './nicip.service.js';
import type { NodeService } from './node.service.js';
import type { OobmService } from './oobm.service.js';
import type { PhysicalNetworkService } from './physicalnetwork.service.js';
import type { PodService } from './pod.service.js';
import type { PortForwardingService } from './portforwarding.service.js';
import type { PortableIpService } from './portableip.service.js';
import type { ProjectRoleService } from './projectrole.service.js';
import type { ProjectService } from './project.service.js';
import type { ProviderService } from './provider.service.js';
import type { PublicRangeDedication } from './vlanrange.dedication.js';
import type { RegionService } from './region.service.js';
import type { ResourceDetailService } from './resourcedetail.service.js';
import type { RoleService } from './role.service.js';
import type { RouterService } from './router.service.js';
import type { SecurityGroupService } from './securitygroup.service.js';
import type { ServiceOfferingService } from './serviceoffering.service.js';
import type { SimulatedAgent } from '../simulator/agent.js';
import type { SimulatorService } from './simulator.service.js';
import type { SnapshotPolicyService } from './snapshotpolicy.service.js';
import type { SnapshotScheduler } from './snapshot.scheduler.js';
import type { SnapshotService } from './snapshot.service.js';
import type { SshKeyService } from './sshkey.service.js';
import type { StaticNatService } from './staticnat.service.js';
import type { StoragePoolService } from './storagepool.service.js';
import type { Store } from '../store/db.js';
import type { SystemVmService } from './systemvm.service.js';
import type { TagService } from './tag.service.js';
import type { TemplateRegistry } from './template.register.js';
import type { TemplateService } from './template.service.js';
import type { TwoFactorService } from './twofactor.service.js';
import type { UserDataService } from './userdata.service.js';
import type { UserService } from './user.service.js';
import type { VlanRangeService } from './vlanrange.service.js';
import type { VmOpsService } from './vm.ops.service.js';
import type { VmService } from './vm.service.js';
import type { VmSnapshotService } from './vmsnapshot.service.js';
import type { VolumeService } from './volume.service.js';
import type { VpcOfferingService } from './vpcoffering.service.js';
import type { VpcService } from './vpc.service.js';
import type { ZoneService } from './zone.service.js';

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
