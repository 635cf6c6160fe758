import { NetworkPermissionService } from '../services/network/networkpermission.service.js';
import { ProjectRoleService } from '../services/identity/projectrole.service.js';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { MetricsService } from '../services/infrastructure/metrics.service.js';
import { ConsoleService } from '../services/compute/console.service.js';
import { JobEngine } from '../jobs/engine.js';
import { AccountService, toCaller } from '../services/identity/account.service.js';
import { CatalogService } from '../services/infrastructure/catalog.service.js';
import { DiskOfferingService } from '../services/storage/diskoffering.service.js';
import { NetworkOfferingService } from '../services/network/networkoffering.service.js';
import { VpcOfferingService } from '../services/network/vpcoffering.service.js';
import { ServiceOfferingService } from '../services/compute/serviceoffering.service.js';
import { ConfigService } from '../services/infrastructure/config.service.js';
import { TwoFactorService } from '../services/identity/twofactor.service.js';
import { ResourceDetailService } from '../services/resourcedetail.service.js';
import { GuestVlanService } from '../services/network/guestvlan.service.js';
import { PortableIpService } from '../services/network/portableip.service.js';
import type { Caller } from '../domain/caller.js';
import { Lookup } from '../services/lookup.service.js';
import { NetworkService } from '../services/network/network.service.js';
import { SecurityGroupService } from '../services/network/securitygroup.service.js';
import { SshKeyService } from '../services/compute/sshkey.service.js';
import { UserDataService } from '../services/compute/userdata.service.js';
import { TagService } from '../services/tag.service.js';
import { VmJobs } from '../services/compute/vm.jobs.js';
import { VmService } from '../services/compute/vm.service.js';
import { registerServiceJobs } from '../services/operations/jobs.js';
import { JobService } from '../services/operations/job.service.js';
import { PortForwardingService } from '../services/network/portforwarding.service.js';
import { AffinityService } from '../services/compute/affinity.service.js';
import { VmOpsService } from '../services/compute/vm.ops.service.js';
import { InstanceGroupService } from '../services/compute/instancegroup.service.js';
import { TimingService, type Transition } from '../services/operations/timing.service.js';
import { FaultService } from '../services/operations/fault.service.js';
import { StaticNatService } from '../services/network/staticnat.service.js';
import { FirewallService } from '../services/network/firewall.service.js';
import { RemoteAccessVpnService } from '../services/network/vpn.service.js';
import { VpnUserService } from '../services/network/vpnuser.service.js';
import { Ipv6FirewallService } from '../services/network/ipv6firewall.service.js';
import { GuestIpv6PrefixService } from '../services/network/ipv6.service.js';
import { NicIpService } from '../services/network/nicip.service.js';
import { PublicRangeDedication } from '../services/network/vlanrange.dedication.js';
import { LoadBalancerService } from '../services/network/loadbalancer.service.js';
import { NetworkAclService } from '../services/network/networkacl.service.js';
import { NetworkLifecycleService } from '../services/network/network.lifecycle.js';
import { RouterService } from '../services/network/router.service.js';
import { SystemVmService } from '../services/infrastructure/systemvm.service.js';
import { VpcService } from '../services/network/vpc.service.js';
import { SimulatorService } from '../services/infrastructure/simulator.service.js';
import { EventService } from '../services/operations/event.service.js';
import { AccountAdminService } from '../services/identity/account.admin.service.js';
import { UserService } from '../services/identity/user.service.js';
import { DomainService } from '../services/identity/domain.service.js';
import { AnnotationService } from '../services/annotation.service.js';
import { RegionService } from '../services/infrastructure/region.service.js';
import { CaService } from '../services/infrastructure/ca.service.js';
import { OobmService } from '../services/infrastructure/oobm.service.js';
import { OOBM_DRIVER_IMPLS } from '../bridge/oobm.drivers.js';
import { RoleService } from '../services/identity/role.service.js';
import type { RoleType } from '../domain/organisation.js';
import { ProjectService } from '../services/identity/project.service.js';
import { LimitService } from '../services/identity/limit.service.js';
import { AlertService } from '../services/infrastructure/alert.service.js';
import { VolumeService } from '../services/storage/volume.service.js';
import { ZoneService } from '../services/infrastructure/zone.service.js';
import { PhysicalNetworkService } from '../services/network/physicalnetwork.service.js';
import { ProviderService } from '../services/network/provider.service.js';
import { PodService } from '../services/infrastructure/pod.service.js';
import { ClusterService } from '../services/infrastructure/cluster.service.js';
import { HostService } from '../services/infrastructure/host.service.js';
import { StoragePoolService } from '../services/storage/storagepool.service.js';
import { VlanRangeService } from '../services/network/vlanrange.service.js';
import { CapacityService } from '../services/infrastructure/capacity.service.js';
import { VolumeJobs } from '../services/storage/volume.jobs.js';
import { SnapshotService } from '../services/storage/snapshot.service.js';
import { VmSnapshotService } from '../services/compute/vmsnapshot.service.js';
import { SnapshotPolicyService } from '../services/storage/snapshotpolicy.service.js';
import { SnapshotScheduler } from '../services/storage/snapshot.scheduler.js';
import { TemplateRegistry } from '../services/storage/template.register.js';
import { TemplateService } from '../services/storage/template.service.js';
import { TemplateJobs } from '../services/storage/template.jobs.js';
import { IsoService } from '../services/storage/iso.service.js';
import { ExtractService } from '../services/storage/extract.service.js';
import { ApiThrottle } from '../services/identity/throttle.service.js';
import { AutoScaleRuleService } from '../services/compute/autoscale.rules.service.js';
import { AutoScaleProfileService } from '../services/compute/autoscale.profile.service.js';
import { AutoScaleGroupService } from '../services/compute/autoscale.group.service.js';
import { AutoScaleMonitor } from '../services/compute/autoscale.monitor.js';
import { AutoScaleStats } from '../services/compute/autoscale.stats.js';
import { AutoScaler } from '../services/compute/autoscale.scaler.js';
import { SimulatedAgent } from '../simulator/agent.js';
import { BackupOfferingService } from '../services/storage/backup.service.js';
import { BackupJobs } from '../services/storage/backup.jobs.js';
import { BackupScheduleService } from '../services/storage/backup.schedule.js';
import { NodeService } from '../services/infrastructure/node.service.js';
import { accountStore } from '../store/account.store.js';
import type { Store } from '../store/db.js';
import { entityStore, type EntityKind } from '../store/entity.store.js';

import type { Services } from '../services/services.js';

export interface ServiceOptions {
  agentDelayMs?: number;
  responseCache?: boolean;
  /** What a built-in role of a type may call by the rules 4.18 seeds it with: the front's commands know. */
  implicitApis?: (type: RoleType) => string[];
  /** The PostgreSQL URL the store was opened on (listDbMetrics names its host), none for SQLite. */
  databaseUrl?: string;
}

export async function createServices(
  store: Store,
  clock: Clock,
  log: Logger,
  opts: ServiceOptions = {},
): Promise<Services> {
  const config = new ConfigService(store);
  await config.load();
  const jobs = new JobEngine(
    store,
    clock,
    async (userId) => {
      const u = await accountStore.userById(store.db, userId);
      return u && toCaller(u);
    },
    (msg, err) => log.error({ err }, msg),
  );
  const timing = new TimingService(
    store,
    config,
    () => opts.agentDelayMs ?? config.num('simulator.agent.delay.ms', 100),
  );
  const agent = new SimulatedAgent(store, clock, {
    delayMs: (transition, vmId, vm) =>
      transition ? timing.delayFor(transition as Transition, vmId, vm) : timing.delayFor('start'),
  });
  const groups = new SecurityGroupService(store, clock);
  const accounts = new AccountService(
    store,
    clock,
    () => accountAdmin,
    () => users,
    () => config,
  );
  const catalog = new CatalogService(store);
  const networks = new NetworkService(store, clock, jobs, config);
  const keys = new SshKeyService(store, clock);
  const tags = new TagService(store, clock);
  const affinity = new AffinityService(store, clock, jobs);
  affinity.register(jobs);
  const instanceGroups = new InstanceGroupService(store, clock);
  const vms = new VmService(store, clock, jobs, config, catalog, networks, groups, keys, affinity, instanceGroups);
  const accountAdmin = new AccountAdminService(
    store,
    clock,
    jobs,
    () => groups,
    () => vms,
  );
  const users = new UserService(store, clock, jobs, () => accountAdmin);
  const projects = new ProjectService(store, clock, jobs, config, () => accountAdmin);
  const domains = new DomainService(
    store,
    clock,
    jobs,
    () => accountAdmin,
    () => projects,
  );
  const alerts = new AlertService(store, clock, config, jobs);
  for (const s of [accountAdmin, users, projects, domains, alerts]) s.register(jobs);
  const vmOps = new VmOpsService(store, clock, agent, config, catalog, networks, keys, instanceGroups);
  vmOps.register(jobs);
  const faults = new FaultService(store, clock);
  new VmJobs(store, clock, agent, networks, config, affinity, faults).register(jobs);
  registerServiceJobs(jobs, { groups, tags, networks });
  const staticNat = new StaticNatService(store, clock, jobs);
  const guestNetworks = new NetworkLifecycleService(store, clock, jobs, config, networks);
  const firewall = new FirewallService(store, clock, jobs);
  const ipv6Firewall = new Ipv6FirewallService(store, clock, jobs, firewall);
  const ipv6Prefixes = new GuestIpv6PrefixService(store, clock, jobs);
  const nicIps = new NicIpService(store, clock, jobs, networks, config);
  const loadBalancers = new LoadBalancerService(store, clock, jobs);
  const vpcs = new VpcService(store, clock, jobs);
  const vpcOfferings = new VpcOfferingService(store, clock, jobs, config);
  vpcOfferings.register(jobs);
  const acls = new NetworkAclService(store, clock, jobs);
  const routers = new RouterService(store, clock, agent);
  const systemVms = new SystemVmService(store, clock, agent);
  systemVms.register(jobs);
  const vpns = new RemoteAccessVpnService(store, clock, jobs, config);
  const vpnUsers = new VpnUserService(store, clock, jobs, config);
  for (const s of [
    staticNat,
    guestNetworks,
    firewall,
    ipv6Firewall,
    ipv6Prefixes,
    nicIps,
    loadBalancers,
    vpcs,
    acls,
    routers,
    vpns,
    vpnUsers,
  ])
    s.register(jobs);
  const physicalNetworks = new PhysicalNetworkService(store, clock, jobs);
  const providers = new ProviderService(store, clock, jobs);
  const hosts = new HostService(store, clock, jobs, agent, affinity);
  const storagePools = new StoragePoolService(store, clock, jobs);
  const ca = new CaService(store, clock, config, jobs, agent);
  const oobm = new OobmService(store, clock, jobs, config, OOBM_DRIVER_IMPLS, alerts);
  const guestVlans = new GuestVlanService(store, clock, jobs);
  const portableIps = new PortableIpService(store, clock, jobs);
  for (const s of [physicalNetworks, providers, hosts, storagePools, ca, oobm, guestVlans, portableIps])
    s.register(jobs);
  const system = async (): Promise<Caller> => {
    const root = await accountStore.rootDomain(store.db);
    const u = root && (await accountStore.userByName(store.db, 'system', root.id));
    if (!u) throw new Error('the system user is missing');
    return toCaller(u);
  };
  const volumes = new VolumeService(store, clock, jobs, config, catalog);
  new VolumeJobs(store, clock, agent, volumes, catalog, config).register(jobs);
  const backupOfferings = new BackupOfferingService(store, clock, jobs, config);
  const backups = new BackupJobs(store, clock, jobs, config);
  for (const s of [backupOfferings, backups]) s.register(jobs);
  const snapshots = new SnapshotService(store, clock, jobs, agent, config);
  const snapshotPolicies = new SnapshotPolicyService(store, clock, jobs, config);
  const snapshotScheduler = new SnapshotScheduler(store, clock, jobs, snapshots, system, (msg) => log.debug(msg));
  const vmSnapshots = new VmSnapshotService(store, clock, jobs, agent, config);
  const templates = new TemplateService(store, clock, jobs, config, catalog);
  const registry = new TemplateRegistry(store, clock, jobs, config, catalog, system);
  const isos = new IsoService(store, clock, jobs, agent, catalog);
  const extracts = new ExtractService(store, jobs, agent, config, catalog);
  for (const s of [
    snapshots,
    snapshotPolicies,
    vmSnapshots,
    isos,
    extracts,
    new TemplateJobs(store, clock, agent, timing, catalog),
  ])
    s.register(jobs);
  const portForwarding = new PortForwardingService(store, clock, jobs);
  const resourceDetails = new ResourceDetailService(store, clock);
  resourceDetails.register(jobs);
  portForwarding.register(jobs);
  const scaler = new AutoScaler(store, clock, jobs, vms, loadBalancers, system);
  const monitor = new AutoScaleMonitor(store, clock, config, new AutoScaleStats(store, clock, config, agent), scaler);
  const autoscale = {
    rules: new AutoScaleRuleService(store, clock, jobs),
    profiles: new AutoScaleProfileService(store, clock, jobs, config),
    groups: new AutoScaleGroupService(store, clock, jobs, {
      schedule: (g) => monitor.schedule(g),
      cancel: (id) => monitor.cancel(id),
      destroyVm: (id) => scaler.destroyVm(id),
    }),
    monitor,
  };
  for (const s of [scaler, autoscale.rules, autoscale.profiles, autoscale.groups]) s.register(jobs);
  const services: Services = {
    store,
    clock,
    log,
    jobs,
    jobQueries: new JobService(store),
    config,
    accounts,
    catalog,
    networks,
    groups,
    keys,
    userData: new UserDataService(store, clock, config),
    tags,
    vms,
    agent,
    volumes,
    snapshots,
    snapshotPolicies,
    snapshotScheduler,
    vmSnapshots,
    templates,
    registry,
    isos,
    extracts,
    backupOfferings,
    backups,
    backupSchedules: new BackupScheduleService(store, clock, jobs, config),
    portForwarding,
    simulator: new SimulatorService(store),
    affinity,
    vmOps,
    instanceGroups,
    faults,
    staticNat,
    guestNetworks,
    firewall,
    ipv6Firewall,
    ipv6Prefixes,
    nicIps,
    loadBalancers,
    vpcs,
    acls,
    routers,
    systemVms,
    vpns,
    vpnUsers,
    serviceOfferings: new ServiceOfferingService(store, clock, config),
    diskOfferings: new DiskOfferingService(store, clock, config),
    networkOfferings: new NetworkOfferingService(store, clock, config),
    vpcOfferings,
    zones: new ZoneService(store, clock),
    physicalNetworks,
    providers,
    pods: new PodService(store, clock, config),
    clusters: new ClusterService(store, clock),
    hosts,
    storagePools,
    vlanRanges: new VlanRangeService(store, clock),
    rangeDedication: new PublicRangeDedication(store, clock),
    capacity: new CapacityService(store),
    guestVlans,
    portableIps,
    nodes: new NodeService(store),
    metrics: new MetricsService(store, clock, config, opts.databaseUrl),
    console: new ConsoleService(store),
    throttle: new ApiThrottle(config),
    autoscale,
    entities: {
      exists: (kind, id) => entityStore.exists(store.db, kind, id),
      missing: (kind, ids) => entityStore.missing(store.db, kind, ids),
      byInternalId: (kind, n) => entityStore.byInternalId(store.db, kind, n),
    },
    events: new EventService(store),
    accountAdmin,
    users,
    domains,
    projects,
    twoFactor: new TwoFactorService(store, clock, config),
    resourceDetails,
    projectRoles: new ProjectRoleService(store, clock),
    networkPermissions: new NetworkPermissionService(store, clock),
    roles: new RoleService(store, clock, opts.implicitApis),
    regions: new RegionService(store, clock),
    ca,
    oobm,
    annotations: new AnnotationService(store, clock),
    limits: new LimitService(store, clock),
    alerts,
    lookup: () => new Lookup(store),
    settings: { responseCache: opts.responseCache ?? true, streamListsOver: 1000 },
    system,
  };
  return services;
}
