import { invalid } from './errors.js';
import { humanSize } from './resources.js';

const GiB = 1024 ** 3;

/** Hypervisor.HypervisorType's RootDiskSizeOverride functionality, as 4.18 grants it. */
const RESIZABLE = new Set(['kvm', 'xenserver', 'vmware', 'simulator']);

export interface RootDiskRequest {
  hypervisor: string;
  /** `rootdisksize` (or `details[0].rootdisksize`), in GiB, as given. */
  requestedGb?: number;
  /** The compute offering's own root disk size in GiB; a positive one wins over the request. */
  offeringGb?: number | null;
  templateSize: number;
}

/**
 * The root volume's size in bytes (UserVmManagerImpl.configureCustomRootDiskSize and
 * validateRootDiskResize): the template's size unless a root disk size is asked for, which must
 * be positive, on a hypervisor that can resize, and no smaller than the template.
 */
export function rootDiskBytes(r: RootDiskRequest): number {
  if (r.requestedGb === undefined && !(r.offeringGb && r.offeringGb > 0)) return r.templateSize;
  if (!RESIZABLE.has(r.hypervisor.toLowerCase()))
    throw invalid(`Hypervisor ${r.hypervisor} does not support rootdisksize override`, 'rootdisksize');
  if (r.requestedGb !== undefined && !(r.requestedGb > 0))
    throw invalid('Root disk size should be a positive number.', 'rootdisksize');
  const gb = r.offeringGb && r.offeringGb > 0 ? r.offeringGb : r.requestedGb!;
  if (gb * GiB < r.templateSize)
    throw invalid(
      `Unsupported: rootdisksize override (${gb} GB) is smaller than template size ${humanSize(r.templateSize)}`,
      'rootdisksize',
    );
  return gb * GiB;
}
