/** CloudStack's Resource.ResourceType: the index is the type number the API speaks. */
export const RESOURCE_TYPES = [
  'user_vm',
  'public_ip',
  'volume',
  'snapshot',
  'template',
  'project',
  'network',
  'vpc',
  'cpu',
  'memory',
  'primary_storage',
  'secondary_storage',
] as const;
export type ResourceName = (typeof RESOURCE_TYPES)[number];
export type Deltas = Partial<Record<ResourceName, number>>;

export const typeNumber = (n: ResourceName): number => RESOURCE_TYPES.indexOf(n);
export const isStorage = (n: ResourceName): boolean => n === 'primary_storage' || n === 'secondary_storage';
export const GiB = 1024 ** 3;

/** The stem of the `<r>limit` / `<r>total` / `<r>available` fields accounts, domains and projects show. */
export const FIELD_STEM: Record<ResourceName, string> = {
  user_vm: 'vm',
  public_ip: 'ip',
  volume: 'volume',
  snapshot: 'snapshot',
  template: 'template',
  project: 'project',
  network: 'network',
  vpc: 'vpc',
  cpu: 'cpu',
  memory: 'memory',
  primary_storage: 'primarystorage',
  secondary_storage: 'secondarystorage',
};

/** The setting that holds the default limit of a type for accounts, projects and domains (none for projects-per-owner). */
export function defaultLimitSetting(owner: 'account' | 'project' | 'domain', n: ResourceName): string | undefined {
  const key: Partial<Record<ResourceName, string>> = {
    user_vm: 'user.vms',
    public_ip: 'public.ips',
    volume: 'volumes',
    snapshot: 'snapshots',
    template: 'templates',
    network: 'networks',
    vpc: 'vpcs',
    cpu: 'cpus',
    memory: 'memory',
    primary_storage: 'primary.storage',
    secondary_storage: 'secondary.storage',
  };
  return key[n] && `max.${owner}.${key[n]}`;
}

/** NumbersUtil.toReadableSize / toHumanReadableSize with display.human.readable.sizes on, as CloudStack's limit errors print amounts. */
export function readableSize(bytes: number): string {
  const KB = 1024,
    MB = KB * 1024,
    GB = MB * 1024,
    TB = GB * 1024;
  if (bytes < KB && bytes >= 0) return `${bytes} bytes`;
  if (bytes < MB) return `${(bytes / KB).toFixed(2)} KB`;
  if (bytes < GB) return `${(bytes / MB).toFixed(2)} MB`;
  if (bytes < TB) return `${(bytes / GB).toFixed(2)} GB`;
  return `${(bytes / TB).toFixed(4)} TB`;
}
export const humanSize = (n: number): string => `${n} (${readableSize(n)})`;
