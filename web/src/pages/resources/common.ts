import { cs } from '../../api/cloudstack';
import type { Offering } from '../../api/resources';
import type { Vm, Zone } from '../../api/types';

// Lists the resource pages share for their forms' choices.

export const listZones = () => cs.list<Zone>('listZones', 'zone', {}).then((r) => r.items);
export const listVms = (params: Record<string, string | undefined> = {}) =>
  cs.list<Vm>('listVirtualMachines', 'virtualmachine', { listall: true, ...params }).then((r) => r.items);
export const listDiskOfferings = () => cs.list<Offering>('listDiskOfferings', 'diskoffering', {}).then((r) => r.items);

/** GiB as CloudStack's size fields give bytes. */
export const gib = (n: number | undefined): string =>
  n === undefined ? '' : `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GiB`;
