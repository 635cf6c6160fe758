import pg from 'pg';

/**
 * The one way polystack opens a PostgreSQL pool. A connection the server drops (a restart, an
 * administrator ending the backend, a database dropped WITH (FORCE)) emits 'error'; an
 * EventEmitter with no 'error' listener throws, which would take the whole process down. pg's
 * Pool listens only while a connection is idle and re-emits on itself; a connection checked out
 * between two queries of a transaction has no listener at all. So every connection gets one for
 * its life: the query that next uses it fails and reports it, and the pool drops it on release.
 */
export function openPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
