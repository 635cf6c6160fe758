import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testLinesMatching } from './test-lines.js';

const TEST = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const HELPER = join(TEST, 'helpers/waiters.ts');

/**
 * The AWS SDK's waiters poll no sooner than their minDelay: tests written with `minDelay: 1` slept a second
 * a poll against a cloud that answers in milliseconds (9 s of one test, most of the fast tier's idle cores).
 * Every waiter in test/ takes its pace from `quickWaiter` (test/helpers/waiters.ts); what this finds is a
 * waiter configured by hand.
 */
const HAND_MADE = /\b(?:minDelay|maxDelay)\s*:/;

describe('no test sets its own waiter pace', () => {
  it('finds minDelay and maxDelay only in test/helpers/waiters.ts', () => {
    const found = testLinesMatching(HAND_MADE, [SELF, HELPER]);
    assert.deepEqual(found, [], 'pass quickWaiter(client, maxWaitTime) from test/helpers/waiters.ts');
  });

  it('recognises a waiter configured by hand, and lets the helper through', () => {
    assert.ok(HAND_MADE.test('    { client: ec2, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },'));
    assert.ok(HAND_MADE.test('const wait = { client, maxWaitTime: 120, maxDelay : 5 };'));
    assert.ok(!HAND_MADE.test('await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: ids });'));
    assert.ok(HAND_MADE.test(readFileSync(HELPER, 'utf8')), 'the helper itself sets them');
  });
});
