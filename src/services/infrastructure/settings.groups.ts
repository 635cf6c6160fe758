/**
 * 4.18's configuration groups and subgroups (schema-41720to41800.sql), in the order the upgrade
 * inserts them, which is the order ConfigurationSubGroupDao searches them.
 */
export interface SubGroup {
  name: string;
  keywords: string[];
  precedence: number;
}
export interface Group {
  name: string;
  description: string;
  precedence: number;
  subgroups: SubGroup[];
}

const sub = (name: string, keywords: string, precedence: number): SubGroup => ({
  name,
  keywords: keywords ? keywords.split(',') : [],
  precedence,
});

export const GROUPS: Group[] = [
  {
    name: 'Miscellaneous',
    description: 'Miscellaneous configuration',
    precedence: 999,
    subgroups: [sub('Others', '', 999)],
  },
  {
    name: 'Access',
    description: 'Identity and Access management configuration',
    precedence: 1,
    subgroups: [
      sub('Account', '', 1),
      sub('Domain', '', 2),
      sub('Project', '', 3),
      sub('LDAP', '', 4),
      sub('SAML', 'saml2', 5),
    ],
  },
  {
    name: 'Compute',
    description: 'Compute configuration',
    precedence: 2,
    subgroups: [
      sub('Virtual Machine', 'vm,instance,cpu,ssh,affinity', 1),
      sub('Kubernetes', 'kubernetes', 2),
      sub('High Availability', 'ha', 3),
    ],
  },
  {
    name: 'Storage',
    description: 'Storage configuration',
    precedence: 3,
    subgroups: [
      sub('Images', 'template,iso', 1),
      sub('Volume', 'disk,diskoffering', 2),
      sub('Snapshot', '', 3),
      sub('VM Snapshot', 'vmsnapshot', 4),
    ],
  },
  {
    name: 'Network',
    description: 'Network configuration',
    precedence: 4,
    subgroups: [
      sub('Network', 'firewall,vlan,dns,globodns,ipaddress,cidr', 1),
      sub('DHCP', 'externaldhcp', 2),
      sub('VPC', '', 3),
      sub('LoadBalancer', 'lb,gslb', 4),
    ],
  },
  {
    name: 'Hypervisor',
    description: 'Hypervisor specific configuration',
    precedence: 5,
    subgroups: [
      sub('Hypervisor', 'host', 1),
      sub('KVM', 'libvirt', 2),
      sub('VMware', 'vcenter', 3),
      sub('XenServer', 'xen,xapi,XCP', 4),
      sub('OVM', 'ovm3', 5),
      sub('Baremetal', '', 6),
    ],
  },
  {
    name: 'Management Server',
    description: 'Management Server configuration',
    precedence: 6,
    subgroups: [
      sub('API', '', 1),
      sub('Alerts', 'alert', 2),
      sub('Events', 'event', 3),
      sub('Security', 'secure,password,authenticators', 4),
      sub('Usage', '', 5),
      sub('Limits', 'capacity,delay,interval,workers', 6),
      sub('Jobs', 'job', 7),
      sub('Agent', '', 8),
    ],
  },
  {
    name: 'System VMs',
    description: 'System VMs related configuration',
    precedence: 7,
    subgroups: [
      sub('ConsoleProxyVM', 'cpvm,consoleproxy,novnc', 1),
      sub('SecStorageVM', 'ssvm,secondary', 2),
      sub('VirtualRouter', 'vr,router,vrouter', 3),
      sub('Diagnostics', '', 4),
    ],
  },
  {
    name: 'Infrastructure',
    description: 'Infrastructure configuration',
    precedence: 8,
    subgroups: [sub('Primary Storage', 'storage,pool,primary', 1), sub('Secondary Storage', 'image,secstorage', 2)],
  },
];
// Miscellaneous gets its other subgroups after every group exists, as the upgrade script adds them.
GROUPS[0]!.subgroups.push(
  sub('Backup & Recovery', 'backup,recovery,veeam', 1),
  sub('Certificate Authority', 'CA', 2),
  sub('Quota', '', 3),
  sub('Cloudian', '', 4),
);

/** Subgroups in the order they were inserted (their ids). */
const SEARCH: [Group, SubGroup][] = [
  ...GROUPS.flatMap((g) =>
    g.subgroups
      .filter((s) => !['Backup & Recovery', 'Certificate Authority', 'Quota', 'Cloudian'].includes(s.name))
      .map((s): [Group, SubGroup] => [g, s]),
  ),
  ...GROUPS[0]!.subgroups.slice(1).map((s): [Group, SubGroup] => [GROUPS[0]!, s]),
];

/**
 * ConfigurationGroupsAggregator: the first word of the name (split at dots) that names a subgroup
 * (MySQL compares names case-insensitively) or that a subgroup keyword equals or starts with; none: Miscellaneous / Others.
 */
export function groupOf(name: string): { group: string; subgroup: string } {
  for (const word of name.split('.')) {
    const w = word.toLowerCase();
    const hit =
      SEARCH.find(([, s]) => s.name.toLowerCase() === w) ??
      (w
        ? SEARCH.find(([, s]) => s.keywords.some((k) => k.toLowerCase() === w || k.toLowerCase().startsWith(w)))
        : undefined);
    if (hit) return { group: hit[0].name, subgroup: hit[1].name };
  }
  return { group: 'Miscellaneous', subgroup: 'Others' };
}

/** The schema upgrade's display text: dots to spaces, first letter upper case, the rest lower case. */
export const displayText = (name: string): string => {
  const s = name.replaceAll('.', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
};

/** The upgrade's `parent` settings among those polystack declares. */
const PARENTS: Record<string, string> = {
  'api.throttling.cachesize': 'api.throttling.enabled',
  'api.throttling.interval': 'api.throttling.enabled',
  'api.throttling.max': 'api.throttling.enabled',
  'backup.framework.provider.plugin': 'backup.framework.enabled',
  'backup.framework.sync.interval': 'backup.framework.enabled',
  'storage.cache.replacement.interval': 'storage.cache.replacement.enabled',
  'cloud.kubernetes.cluster.max.size': 'cloud.kubernetes.service.enabled',
};
export const parentOf = (name: string): string | undefined => PARENTS[name];
