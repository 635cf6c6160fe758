import type { Host } from './types.js';

export interface Demand {
  cpuMhz: number;
  memoryBytes: number;
}

export const fits = (
  h: Pick<Host, 'cpuNumber' | 'cpuSpeed' | 'memory' | 'cpuUsed' | 'memoryUsed'>,
  d: Demand,
): boolean => h.cpuNumber * h.cpuSpeed - h.cpuUsed >= d.cpuMhz && h.memory - h.memoryUsed >= d.memoryBytes;

/**
 * First fit over the candidates in their given order, trying the host the VM last ran on
 * first (CloudStack's planner does the same to keep volumes local).
 */
export function chooseHost(candidates: Host[], d: Demand, prefer?: string | null): Host | undefined {
  const last = prefer ? candidates.find((h) => h.id === prefer) : undefined;
  if (last && fits(last, d)) return last;
  return candidates.find((h) => fits(h, d));
}
