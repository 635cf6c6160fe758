import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatcher } from '../../src/domain/glob.js';
import { ruleMatches } from '../../src/domain/roles.js';
import { applyFilters } from '../../src/ec2/filters.js';

// `*a*a*...*a*b` has 40 stars: as a backtracking RegExp (`.*a.*a...`) over the values below it
// tries every way of placing 40 stars, which does not finish; placed leftmost-first it is one pass.
const STARS = `${'*a'.repeat(40)}*b`;

/** Wildcards in EC2 filters, GCE `=` filters and CloudStack role rules, matched without a backtracking engine (issue 13). */
describe('wildcard patterns', () => {
  it('globMatcher: * is any run, ? any one character when asked, the whole text must match', () => {
    const m = (p: string, t: string, o = {}) => globMatcher(p, o)(t);
    assert.ok(m('web-*', 'web-1') && m('*', '') && m('*-*', 'a-b-c') && m('a*b*c', 'abc') && m('a**c', 'axyc'));
    assert.ok(
      !m('web-*', 'db-web-1') && !m('*-1', 'web-12') && !m('a*b*c', 'acb') && !m('ab', 'abc') && !m('abc*bc', 'abc'),
    );
    assert.ok(m('w?b', 'wab', { one: true }) && !m('w?b', 'wb', { one: true }) && !m('w?b', 'wab') && m('w?b', 'w?b'));
    assert.ok(m('*\n*', 'a\nb'), 'a star runs across line breaks');
  });

  it('EC2 filters: * and ?, a backslash makes them literal, many stars over a long tag value complete, 200 values at most', () => {
    const items = [
      { id: 'long', Tags: [{ Key: 'note', Value: 'a'.repeat(255) }] },
      { id: 'star', Tags: [{ Key: 'note', Value: '*amazon?\\' }] },
      { id: 'plain', Tags: [{ Key: 'note', Value: 'xamazonz\\' }] },
    ];
    const ids = (...values: string[]) =>
      applyFilters(items, [{ Name: 'tag:note', Values: values }], {}).map((i) => i.id);
    assert.deepEqual(ids(STARS), []);
    assert.deepEqual(ids(`${'*a'.repeat(40)}*`), ['long']);
    assert.deepEqual(ids('?'.repeat(255)), ['long']);
    assert.deepEqual(ids('*amazon?\\'), ['star', 'plain']);
    assert.deepEqual(ids('\\*amazon\\?\\\\'), ['star']);
    assert.deepEqual(ids('x*', 'a*'), ['long', 'plain']);
    assert.throws(
      () => ids(...Array.from({ length: 201 }, () => STARS)),
      (e: any) => e.code === 'FilterLimitExceeded' && e.status === 400,
    );
  });

  it('role rules: * stands for word characters, case does not matter, many stars complete', () => {
    assert.ok(
      ruleMatches('list*', 'listZones') &&
        ruleMatches('*', 'deployVirtualMachine') &&
        ruleMatches('LIST*s', 'listzones'),
    );
    assert.ok(ruleMatches('*Virtual*', 'deployVirtualMachine') && ruleMatches('listZones', 'LISTZONES'));
    assert.ok(!ruleMatches('list*', 'deleteZone') && !ruleMatches('list*', 'list.zones') && !ruleMatches('*', 'a b'));
    assert.ok(!ruleMatches(STARS.slice(1), 'a'.repeat(2000)));
  });
});
