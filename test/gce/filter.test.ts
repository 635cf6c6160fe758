import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GceError } from '../../src/gce/errors.js';
import { MAX_DEPTH, parseFilter, parsed } from '../../src/gce/filter.js';
import { instancePushdown } from '../../src/gce/resources/instances.pushdown.js';
import { loadRegexEngine, MAX_PROGRAM, STEP_BUDGET } from '../../src/gce/regex.js';

// The GCE router loads RE2 for a request with a filter; these call the parser directly.
await loadRegexEngine();

type Item = Record<string, unknown>;
const pick = (filter: string, items: Item[]) => items.filter(parseFilter(filter)).map((i) => i['name']);

/** A 400 `invalid` in Google's error body, with `why` in its message. */
function refused(run: () => unknown, why: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof GceError, String(e));
    const body = e.body() as {
      error: { code: number; status: string; message: string; errors: { reason: string; domain: string }[] };
    };
    assert.equal(body.error.code, 400);
    assert.equal(body.error.status, 'INVALID_ARGUMENT');
    assert.deepEqual([body.error.errors[0]!.reason, body.error.errors[0]!.domain], ['invalid', 'global']);
    assert.match(body.error.message, why);
    return true;
  });
}

/** The list filter's regular expressions are RE2's, and its parser is bounded (issue 13, items 3 and 10). */
describe('GCE list filter: RE2 patterns and bounded parsing', () => {
  const vms = ['my-vm-1', 'my-vm-22', 'other', 'test-box'].map((name) => ({ name, status: 'RUNNING' }));

  it('matches the whole value with RE2 syntax', () => {
    assert.deepEqual(pick('name eq my-vm-[0-9]+', vms), ['my-vm-1', 'my-vm-22']);
    assert.deepEqual(pick('name eq my-vm', vms), []);
    assert.deepEqual(pick('name ne .*-.*', vms), ['other']);
    assert.deepEqual(pick('name eq (?i)OTHER|TEST-BOX', vms), ['other', 'test-box']);
    assert.deepEqual(pick('name eq \\pL+', vms), ['other']);
    assert.deepEqual(pick('(name eq my-vm-\\d{2})(status eq RUNNING)', vms), ['my-vm-22']);
  });

  it('answers a nested quantifier over a long value at once: RE2 does not backtrack', () => {
    // On JavaScript's engine this is 2^n steps: 7.7 s at 28 characters, doubling with each one.
    const long = [{ name: `${'a'.repeat(5000)}!` }, { name: 'a'.repeat(5000) }];
    assert.equal(pick('name eq (a+)+', long).length, 1);
    assert.deepEqual(pick('name eq (a|aa)+b', long), []);
    assert.deepEqual(pick('name eq (.*)*(.*)*(.*)*b', long), []);
  });

  it('refuses what RE2 refuses, as Google does: backreferences, lookarounds, bad syntax', () => {
    for (const p of [
      '(a)\\1',
      'a(?=b)',
      'a(?!b)',
      '(?<=a)b',
      '[a-',
      'a{2,1}',
      '*a',
      `${'('.repeat(1001)}a${')'.repeat(1001)}`,
    ])
      refused(() => parseFilter(`name eq ${p}`), /bad regular expression/);
  });

  it('refuses a pattern whose program is past the cap, and one that would cost more steps than the budget', () => {
    refused(() => parseFilter('name eq (.?){1000}(.?){1000}(.?){1000}'), /too large/);
    assert.ok(MAX_PROGRAM >= 4002, 'a single {1000} repetition, the most RE2 allows, still compiles');
    const keep = parseFilter('description eq (.?){1000}');
    // About 4,000 instructions over 30,000 characters is past the budget: refused before matching.
    refused(() => keep({ name: 'big', description: 'x'.repeat(Math.ceil(STEP_BUDGET / 4000)) }), /too costly/);
    // The budget is per filter, so a new request starts afresh.
    assert.equal(parseFilter('description eq (.?){1000}')({ description: 'x'.repeat(500) }), true);
  });

  it('bounds nesting: 5,000 parentheses or negations are a 400, not a stack overflow', () => {
    refused(() => parseFilter(`${'('.repeat(5000)}name eq a${')'.repeat(5000)}`), /nested deeper than 100/);
    refused(() => parseFilter(`${'-'.repeat(5000)}name = a`), /nested deeper than 100/);
    refused(() => parseFilter(`${'NOT '.repeat(5000)}name = a`), /nested deeper than 100/);
    assert.deepEqual(pick(`${'('.repeat(MAX_DEPTH)}name = other${')'.repeat(MAX_DEPTH)}`, vms), ['other']);
    assert.deepEqual(pick(`${'NOT '.repeat(MAX_DEPTH)}name = other`, vms), ['other']);
  });

  it('reads a long flat filter term by term', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `name = vm-${i}`).join(' OR ');
    assert.deepEqual(pick(`${many} OR name = other`, vms), ['other']);
    assert.deepEqual(pick('name = my-vm-* AND NOT name = *2', vms), ['my-vm-1']);
  });
});

/** What instances.list hands CloudStack to narrow its listing: only terms every match must pass. */
describe('GCE list filter: the terms CloudStack can narrow by', () => {
  const down = (filter: string) => instancePushdown(parsed(filter).required);

  it('hands down required literal names as keyword and label equalities as tags', () => {
    assert.deepEqual(down('name = web-1'), { keyword: 'web-1' });
    assert.deepEqual(down('name eq web-1'), { keyword: 'web-1' });
    assert.deepEqual(down('name = web-*-prod'), { keyword: '-prod' });
    assert.deepEqual(down('labels.env = prod AND labels.team = "a b"'), {
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'a b' },
      ],
    });
    assert.deepEqual(down('(name = db-1) (labels.env eq prod)'), {
      keyword: 'db-1',
      tags: [{ key: 'env', value: 'prod' }],
    });
  });

  it('hands down nothing a match need not pass, nor patterns it cannot read literally', () => {
    for (const f of [
      'name = a-1 OR name = b-1',
      'labels.env = prod OR status = RUNNING',
      'NOT name = web-1',
      '-labels.env = prod',
      'name != web-1',
      'name eq web-[0-9]',
      'name eq (?i)WEB',
      'name = *',
      'labels.env = *prod',
      'labels.env:*',
      'status = RUNNING',
    ])
      assert.deepEqual(down(f), {}, f);
    // A required term beside an OR group is still handed down; the group is not.
    assert.deepEqual(down('labels.env = prod AND (name = a-1 OR name = b-1)'), {
      tags: [{ key: 'env', value: 'prod' }],
    });
  });
});
