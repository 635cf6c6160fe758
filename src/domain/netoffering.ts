import { invalid } from './errors.js';

/** Network.Service's names (4.18); lookups ignore case. Gateway is implied by SourceNat and cannot be asked for. */
export const NETWORK_SERVICES = [
  'Vpn',
  'Dhcp',
  'Dns',
  'Gateway',
  'Firewall',
  'Lb',
  'UserData',
  'SourceNat',
  'StaticNat',
  'PortForwarding',
  'SecurityGroup',
  'NetworkACL',
  'Connectivity',
] as const;

/** Network.Provider's names (4.18). */
export const NETWORK_PROVIDERS = [
  'VirtualRouter',
  'JuniperContrailRouter',
  'JuniperContrailVpcRouter',
  'JuniperSRX',
  'PaloAlto',
  'F5BigIp',
  'Netscaler',
  'ExternalDhcpServer',
  'ExternalGateWay',
  'ElasticLoadBalancerVm',
  'SecurityGroupProvider',
  'VpcVirtualRouter',
  'None',
  'NiciraNvp',
  'InternalLbVm',
  'CiscoVnmc',
  'Ovs',
  'Opendaylight',
  'BrocadeVcs',
  'GloboDns',
  'BigSwitchBcf',
  'ConfigDrive',
  'NuageVsp',
  'NuageVspVpc',
  'Tungsten',
  'BaremetalDhcpProvider',
  'BaremetalPxeProvider',
  'BaremetalUserdataProvider',
] as const;
const VPC_ONLY_PROVIDERS = ['VpcVirtualRouter', 'JuniperContrailVpcRouter', 'InternalLbVm'];

export const serviceName = (s: string) => NETWORK_SERVICES.find((x) => x.toLowerCase() === s.toLowerCase());
export const providerName = (p: string) => NETWORK_PROVIDERS.find((x) => x.toLowerCase() === p.toLowerCase());

/** An offering's services, each with its providers (the stored `services` column). */
export const offeringServices = (o: { services: string }): Record<string, string[]> =>
  JSON.parse(o.services) as Record<string, string[]>;

/** Whether an offering (none: no) provides a service: SourceNat, Firewall, Lb, StaticNat, Vpn, ... */
export const offersService = (o: { services: string } | undefined, service: string): boolean =>
  !!o && Object.hasOwn(offeringServices(o), service);

export interface OfferingServices {
  services: Record<string, string[]>;
  forVpc: boolean;
}

/**
 * createNetworkOffering's service/provider map: the services asked for, SecurityGroup always with
 * its own provider, the providers given per service (one each, except Lb), Gateway added with
 * SourceNat, Firewall added when the virtual router does port forwarding or static NAT.
 */
export function serviceMap(
  guestType: string,
  supported: string[],
  providers: { service: string; provider: string }[],
  forVpcAsked: boolean | undefined,
  egressDefaultPolicy: boolean,
): OfferingServices {
  let forVpc = forVpcAsked;
  const map: Record<string, string[]> = {};
  for (const name of supported) {
    const svc = serviceName(name);
    if (!svc || svc === 'Gateway') throw invalid(`Invalid service ${name}`, 'supportedservices');
    if (forVpc === undefined) {
      if (svc === 'SecurityGroup' || svc === 'Firewall') forVpc = false;
      else if (svc === 'NetworkACL') forVpc = true;
    }
    if (svc === 'SecurityGroup') {
      if (guestType !== 'Shared')
        throw invalid(
          'Security group service is supported for network offerings with guest ip type Shared',
          'supportedservices',
        );
      map[svc] = ['SecurityGroupProvider'];
      continue;
    }
    map[svc] = [];
  }
  const byService = new Map<string, string[]>();
  for (const { service, provider } of providers) byService.set(service, [...(byService.get(service) ?? []), provider]);
  let firewallProvider: string | undefined;
  let dhcpProvider: string | undefined;
  let vrUserData = false;
  for (const [given, names] of byService) {
    const svc = serviceName(given);
    if (!svc || !Object.hasOwn(map, svc))
      throw invalid(
        `Service ${given} is not enabled for the network offering, can't add a provider to it`,
        'serviceproviderlist',
      );
    if (svc !== 'Lb' && names.length > 1)
      throw invalid(
        'In the current release only one provider can be specified for the service if the service is not LB',
        'serviceproviderlist',
      );
    const list: string[] = [];
    for (const n of names) {
      const p = providerName(n);
      if (!p) throw invalid(`Invalid service provider: ${n}`, 'serviceproviderlist');
      if (p === 'CiscoVnmc' || p === 'PaloAlto') firewallProvider = p;
      if ((svc === 'PortForwarding' || svc === 'StaticNat') && p === 'VirtualRouter') firewallProvider = p;
      if (forVpc === undefined && VPC_ONLY_PROVIDERS.includes(p)) forVpc = true;
      if (svc === 'Dhcp') dhcpProvider = p;
      if (svc === 'UserData' && p === 'VirtualRouter') vrUserData = true;
      if (!list.includes(p)) list.push(p);
    }
    map[svc] = list;
  }
  if (!dhcpProvider && vrUserData)
    throw invalid(
      "Without VR as dhcp provider, User data can't selected for VR. Please select VR as DHCP provider ",
      'serviceproviderlist',
    );
  if (map['SourceNat']?.length) map['Gateway'] = [...map['SourceNat']];
  if (firewallProvider) {
    map['Firewall'] = [firewallProvider];
    if (!['JuniperSRX', 'PaloAlto', 'VirtualRouter'].includes(firewallProvider) && !egressDefaultPolicy)
      throw invalid(
        `Firewall egress with default policy false is not supported by the provider ${firewallProvider}`,
        'egressdefaultpolicy',
      );
  }
  return { services: map, forVpc: forVpc ?? false };
}

/** The offering rules of ConfigurationManagerImpl.createNetworkOffering that tie guest type, IP ranges, persistence and availability. */
export function checkOfferingShape(
  guestType: string,
  services: Record<string, string[]>,
  o: { specifyIpRanges: boolean; isPersistent: boolean; availability: string },
): void {
  if (o.specifyIpRanges) {
    if (guestType === 'Isolated' && 'SourceNat' in services)
      throw invalid(
        'SpecifyIpRanges can only be true for Shared network offerings and Isolated with no SourceNat service',
        'specifyipranges',
      );
  } else if (guestType === 'Shared')
    throw invalid('SpecifyIpRanges should always be true for Shared network offerings', 'specifyipranges');
  if (o.isPersistent && guestType === 'Shared')
    throw invalid(`isPersistent should be false if network offering's type is ${guestType}`, 'ispersistent');
  if (o.availability === 'Required' && !(guestType === 'Isolated' && 'SourceNat' in services))
    throw invalid(
      'Availability can be Required only for networkOfferings of type Isolated and with SourceNat enabled',
      'availability',
    );
}

const CAPABILITIES: Record<string, string[]> = {
  Lb: ['SupportedLBIsolation', 'ElasticLb', 'InlineMode', 'LbSchemes', 'VmAutoScaling'],
  SourceNat: ['SupportedSourceNatTypes', 'RedundantRouter'],
  StaticNat: ['ElasticIp', 'AssociatePublicIP'],
  Connectivity: ['StretchedL2Subnet', 'PublicAccess'],
};

/** servicecapabilitylist: capabilities of services the offering has, with the values CloudStack accepts. */
export function capabilityMap(
  services: Record<string, string[]>,
  guestType: string,
  list: { service: string; type: string; value: string }[],
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const c of list) {
    const svc = serviceName(c.service);
    if (!svc || !Object.hasOwn(CAPABILITIES, svc))
      throw invalid(`Invalid capability specified for service ${c.service}`, 'servicecapabilitylist');
    if (!Object.hasOwn(services, svc))
      throw invalid(
        `Capabilities for ${svc === 'Lb' ? 'LB' : svc === 'SourceNat' ? 'source NAT' : svc === 'StaticNat' ? 'static NAT' : `'Connectivity'`} service can be specifed only when ${svc === 'Lb' ? 'LB' : svc} service is enabled for network offering.`,
        'servicecapabilitylist',
      );
    const cap = CAPABILITIES[svc]!.find((x) => x.toLowerCase() === c.type.toLowerCase());
    if (!cap)
      throw invalid(
        `Only ${CAPABILITIES[svc]!.join(', ')} capabilities can be specified for ${svc} service`,
        'servicecapabilitylist',
      );
    const v = c.value.toLowerCase();
    if (cap === 'SupportedLBIsolation' && v.includes('dedicated') === v.includes('shared'))
      throw invalid(
        'Either dedicated or shared isolation can be specified for SupportedLBIsolation',
        'servicecapabilitylist',
      );
    if (cap === 'SupportedSourceNatTypes' && v.includes('peraccount') === v.includes('perzone'))
      throw invalid(
        'Either peraccount or perzone source NAT type can be specified for SupportedSourceNatTypes',
        'servicecapabilitylist',
      );
    if (
      [
        'ElasticLb',
        'InlineMode',
        'RedundantRouter',
        'ElasticIp',
        'AssociatePublicIP',
        'StretchedL2Subnet',
        'PublicAccess',
        'VmAutoScaling',
      ].includes(cap) &&
      v.includes('true') === v.includes('false')
    )
      throw invalid(`Unknown specified value for ${cap}`, 'servicecapabilitylist');
    if (cap === 'PublicAccess' && guestType !== 'Shared')
      throw invalid(
        `Capability ${cap} can only be enabled for network offerings with guest type Shared.`,
        'servicecapabilitylist',
      );
    (out[svc] ??= {})[cap] = c.value;
  }
  const sn = out['StaticNat'];
  if (sn && !/true/i.test(sn['ElasticIp'] ?? '') && !/false/i.test(sn['AssociatePublicIP'] ?? 'true'))
    throw invalid(
      'Capability AssociatePublicIP can only be set when capability ElasticIp is true',
      'servicecapabilitylist',
    );
  return out;
}

/** The providers whose load balancers 4.18's upgrade marks as able to autoscale (schema-41720to41800.sql). */
const AUTOSCALING_LB_PROVIDERS = ['VirtualRouter', 'VpcVirtualRouter', 'Netscaler'];

/**
 * NetworkOffering.isSupportsVmAutoScaling: the Lb service's VmAutoScaling capability when the offering
 * was made with one; the built-in offerings whose load balancer is a router's (or a NetScaler) have it.
 */
export function supportsVmAutoScaling(o: {
  services: string;
  capabilities?: string | null;
  isDefault: number;
}): boolean {
  const caps = o.capabilities ? (JSON.parse(o.capabilities) as Record<string, Record<string, string>>) : {};
  const set = caps['Lb']?.['VmAutoScaling'];
  if (set !== undefined) return set.toLowerCase() === 'true';
  const lb = (JSON.parse(o.services) as Record<string, string[]>)['Lb'] ?? [];
  return o.isDefault === 1 && lb.some((p) => AUTOSCALING_LB_PROVIDERS.includes(p));
}
