/** A range of guest VLAN ids (vnets) of a physical network, both ends included. */
export interface VnetRange {
  start: number;
  end: number;
}

/**
 * NetworkServiceImpl.generateVnetString: the vnets of some ranges as CloudStack stores them on the
 * physical network, sorted, each run of consecutive ids one range ("100-200,202-203").
 */
export function normalizeVnets(ranges: VnetRange[]): VnetRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: VnetRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export const vnetString = (ranges: VnetRange[]): string => ranges.map((r) => `${r.start}-${r.end}`).join(',');

/** The ranges a physical network's stored `vlan` holds (already validated when it was set). */
export function storedVnets(vlan: string | null | undefined): VnetRange[] {
  if (!vlan) return [];
  return vlan.split(',').flatMap((s) => {
    const [a, b] = s.split('-').map(Number);
    return Number.isInteger(a) && Number.isInteger(b) ? [{ start: a!, end: b! }] : [];
  });
}

export const inVnets = (ranges: VnetRange[], v: number): boolean => ranges.some((r) => v >= r.start && v <= r.end);

export const vnetCount = (ranges: VnetRange[]): number => ranges.reduce((n, r) => n + r.end - r.start + 1, 0);

/** The vnets of `old` that `next` no longer holds, as ranges (getVnetsToremove). */
export function removedVnets(old: VnetRange[], next: VnetRange[]): VnetRange[] {
  const out: VnetRange[] = [];
  for (const r of old) {
    let runStart: number | undefined;
    for (let v = r.start; v <= r.end + 1; v++) {
      const gone = v <= r.end && !inVnets(next, v);
      if (gone && runStart === undefined) runStart = v;
      if (!gone && runStart !== undefined) {
        out.push({ start: runStart, end: v - 1 });
        runStart = undefined;
      }
    }
  }
  return out;
}

/** `start-end` as dedicateGuestVlanRange takes it; the message is CloudStack's when it is not. */
export function parseGuestVlanRange(s: string): VnetRange | string {
  const parts = s.split('-');
  if (parts.length !== 2)
    return `Invalid format for parameter value vlan ${s} .Vlan should be specified as 'startvlan-endvlan'`;
  if (!parts.every((p) => /^-?\d+$/.test(p.trim()))) return 'Please provide valid guest vlan range';
  return { start: Number(parts[0]), end: Number(parts[1]) };
}

/** Whether two ranges share a vnet. */
export const vnetsOverlap = (a: VnetRange, b: VnetRange): boolean => a.start <= b.end && b.start <= a.end;
