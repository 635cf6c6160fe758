// Dates as CloudStack prints them (yyyy-MM-dd'T'HH:mm:ssZ, UTC), whatever path csDate takes to write them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csDate } from '../../src/cloudstack/encode.js';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + '+0000';

describe('csDate', () => {
  it('writes what the ISO form of the instant says, to the second', () => {
    assert.equal(csDate(Date.UTC(2024, 4, 1, 12, 34, 56, 789)), '2024-05-01T12:34:56+0000');
    assert.equal(csDate(0), '1970-01-01T00:00:00+0000');
    assert.equal(csDate(Date.UTC(2024, 1, 29, 23, 59, 59, 999)), '2024-02-29T23:59:59+0000');
    // Days in turn, and back to an earlier day: nothing of the previous date leaks into the next.
    let seed = 15;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const ms = (next() * 2 ** 13 + next()) % 4_102_444_800_000;
      assert.equal(csDate(ms), iso(ms), String(ms));
    }
  });

  it('writes dates before 1970, past year 9999 and fractions of a millisecond as Date does', () => {
    for (const ms of [-1, -86_400_001, 253_402_300_799_999, 253_402_300_800_000, 1_700_000_000_000.7, -0.5])
      assert.equal(csDate(ms), iso(ms), String(ms));
    assert.equal(csDate(null), undefined);
    assert.equal(csDate(undefined), undefined);
  });
});
