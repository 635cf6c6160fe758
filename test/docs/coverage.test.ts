import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { cloudstackCoverage, ec2Coverage } from '../../src/coverage.js';

it('the coverage tables in docs/coverage match the code (regenerate: node --import tsx scripts/coverage.ts)', () => {
  assert.equal(readFileSync(new URL('../../docs/coverage/cloudstack.md', import.meta.url), 'utf8'), cloudstackCoverage());
  assert.equal(readFileSync(new URL('../../docs/coverage/ec2.md', import.meta.url), 'utf8'), ec2Coverage());
});
