// tier: slow (PostgreSQL only: its connection pool under load, beside the PostgreSQL halves of the per-dialect files)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../../src/store/db.js';
import { freshDatabase, pgServer } from '../helpers/pg.js';

/** Ends one backend from outside, as an administrator or a server restart would. */
async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: await pgServer() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe('a PostgreSQL connection the server drops', () => {
  it('fails the transaction that held it, not the process, and the next transaction gets a live one', async () => {
    const fresh = await freshDatabase();
    const store = await openStore({ url: fresh.url, poolSize: 2 });
    try {
      const held = store.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        // Between two queries the connection is checked out of the pool, which then does not listen to it.
        await terminate(rows[0]!.pid);
        await new Promise((r) => setTimeout(r, 300));
        await sql`SELECT 1`.execute(trx);
      });
      await assert.rejects(held);
      const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(store.db);
      assert.equal(rows[0]!.one, 1);
    } finally {
      await store.close();
      await fresh.drop();
    }
  });

  it('while idle in the pool, is replaced without a word', async () => {
    const fresh = await freshDatabase();
    const store = await openStore({ url: fresh.url, poolSize: 1 });
    try {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db);
      await terminate(rows[0]!.pid);
      await new Promise((r) => setTimeout(r, 300));
      const again = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(store.db);
      assert.notEqual(again.rows[0]!.pid, rows[0]!.pid);
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
});
