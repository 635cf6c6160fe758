import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CALLER_TABLES } from '../../src/store/account.store.js';

const SOURCE = fileURLToPath(new URL('../../src/store/account.store.ts', import.meta.url));
/** A table named where a query starts or joins, or a store's rows are made. */
const READS = /\b(?:selectFrom|innerJoin|leftJoin|rowsOf|joinRowsOf)\(\s*'(\w+)'/g;

/**
 * Callers are cached until one of CALLER_TABLES is written (src/services/identity/account.service.ts,
 * `byApiKey`): a table the caller is read from but not listed would let a cached caller outlive a change to
 * it (a disabled account still answering). Every table account.store.ts reads must be listed.
 */
describe('the caller cache knows every table a caller is read from', () => {
  it('lists each table account.store.ts reads in CALLER_TABLES', () => {
    const read = new Set([...readFileSync(SOURCE, 'utf8').matchAll(READS)].map((m) => m[1]!));
    assert.ok(read.size >= 5, `found only ${[...read].join(', ')}: the pattern no longer matches the store's style`);
    assert.deepEqual(
      [...read].filter((t) => !(CALLER_TABLES as readonly string[]).includes(t)).sort(),
      [],
      'add them to CALLER_TABLES',
    );
  });

  it('finds the forms the store reads with', () => {
    const names = (src: string) => [...src.matchAll(READS)].map((m) => m[1]);
    assert.deepEqual(names("db.selectFrom('roles').innerJoin('projects', 'a', 'b')"), ['roles', 'projects']);
    assert.deepEqual(names("export const userRows = rowsOf('users');"), ['users']);
  });
});
