import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testLinesMatching } from './test-lines.js';

const SELF = fileURLToPath(import.meta.url);

/**
 * Speed is measured in bench/, never asserted by a test: a bound on real elapsed time passes on an
 * idle machine and fails on a busy CI runner (three such asserts failed a run on 2026-12-06). A test
 * that must not wait forever says so with its `timeout` option instead. What this finds: an
 * assertion comparing a real-time difference (`Date.now() - x`, `performance.now() - x`) with `<`,
 * `<=`, or a message that reports how long something took.
 */
const TIMED = /\bassert[^;]*\b(?:Date|performance)\.now\(\)\s*-[^;]*(?:<|took)/;

describe('no test asserts how fast something ran', () => {
  it('finds no upper bound on real elapsed time in test/', () => {
    const found = testLinesMatching(TIMED, [SELF]);
    assert.deepEqual(found, [], 'move the figure to bench/ and give the test a timeout option if it must not hang');
  });

  it('recognises the forms it forbids, and lets lower bounds and clock arithmetic through', () => {
    assert.ok(TIMED.test('    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);'));
    assert.ok(TIMED.test('assert.ok(performance.now() - t0 <= 200);'));
    assert.ok(!TIMED.test('assert.ok(Date.now() - started >= IDLE_MS * 3 - 50);'));
    assert.ok(
      !TIMED.test(
        "assert.deepEqual(await expiring('3600', new Date(Date.now() - 7_200_000)), [400, 'RequestExpired']);",
      ),
    );
  });
});
