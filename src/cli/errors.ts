export { requestFailure } from '../bridge/reach.js';

/** A listen failure as a message naming the address and the flag that changes it. */
export function listenFailure(err: unknown, host: string, port: number): Error {
  const code = (err as { code?: string })?.code;
  if (code === 'EADDRINUSE')
    return new Error(
      `port ${port} on ${host} is already in use (another polystack, or another program): choose another with --port (env POLYSTACK_PORT), or --port 0 for a free one`,
      { cause: err },
    );
  if (code === 'EACCES')
    return new Error(
      `not allowed to listen on ${host}:${port} (ports below 1024 need privileges): choose another with --port (env POLYSTACK_PORT)`,
      { cause: err },
    );
  if (code === 'EADDRNOTAVAIL')
    return new Error(`${host} is not an address of this machine: choose another with --host (env POLYSTACK_HOST)`, {
      cause: err,
    });
  return err instanceof Error ? err : new Error(String(err));
}
