import type { Oobm } from '../../domain/oobm.js';

/**
 * OutOfBandManagementResponse(config): a host with none shows it disabled; the password only by its
 * first character (the response masks it).
 */
export function oobmView(row: Oobm | undefined): Record<string, unknown> {
  if (!row) return { enabled: false, powerstate: 'Disabled' };
  const v: Record<string, unknown> = {
    enabled: row.enabled === 1,
    powerstate: row.powerState ?? 'Unknown',
    driver: row.driver ?? undefined,
    address: row.address ?? undefined,
  };
  if (row.port !== null) v['port'] = row.port;
  if (row.username !== null) v['username'] = row.username;
  if (row.password) v['password'] = `${row.password.slice(0, 1)}****`;
  return v;
}
