import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { javaDateString, nextRunTime as nextRun, type IntervalType } from '../../src/domain/schedule.js';
import { javaZone } from '../../src/domain/timezone.js';

// Backup schedules keep the zone's Java id and read their times through it.
const javaTimeZone = (id: string) => javaZone(id).id;
const nextRunTime = (type: IntervalType, schedule: string, tz: string, start: number) =>
  nextRun(type, schedule, javaZone(tz), start);

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** DateUtil.getNextRunTime and TimeZone.getTimeZone as backup schedules use them. */
describe('backup schedule times', () => {
  // Thursday 2026-01-01 10:20 UTC.
  const start = at('2026-01-01T10:20:00Z');

  it('runs an hourly schedule at its minute, this hour or the next', () => {
    assert.equal(iso(nextRunTime('HOURLY', '45', 'UTC', start)), '2026-01-01T10:45:00.000Z');
    assert.equal(iso(nextRunTime('HOURLY', '05', 'UTC', start)), '2026-01-01T11:05:00.000Z');
    assert.equal(
      iso(nextRunTime('HOURLY', '20', 'UTC', start)),
      '2026-01-01T11:20:00.000Z',
      'a time equal to now is the next one',
    );
  });

  it("reads MM:HH in the schedule's zone", () => {
    assert.equal(iso(nextRunTime('DAILY', '30:12', 'UTC', start)), '2026-01-01T12:30:00.000Z');
    assert.equal(iso(nextRunTime('DAILY', '30:09', 'UTC', start)), '2026-01-02T09:30:00.000Z');
    // 12:30 in Paris (UTC+1 in January) is 11:30 UTC.
    assert.equal(iso(nextRunTime('DAILY', '30:12', 'Europe/Paris', start)), '2026-01-01T11:30:00.000Z');
    assert.equal(iso(nextRunTime('DAILY', '00:12', 'GMT+05:30', start)), '2026-01-02T06:30:00.000Z');
  });

  it('counts weekdays from Sunday and months up to day 28', () => {
    // 00:01:1 is 01:00 on Sunday: the Sunday of this week (Dec 28) has passed, so the next one.
    assert.equal(iso(nextRunTime('WEEKLY', '00:01:1', 'UTC', start)), '2026-01-04T01:00:00.000Z');
    assert.equal(iso(nextRunTime('WEEKLY', '00:23:5', 'UTC', start)), '2026-01-01T23:00:00.000Z', 'Thursday is day 5');
    assert.equal(iso(nextRunTime('MONTHLY', '00:02:20', 'UTC', start)), '2026-01-20T02:00:00.000Z');
    assert.equal(iso(nextRunTime('MONTHLY', '00:02:1', 'UTC', start)), '2026-02-01T02:00:00.000Z');
    assert.throws(() => nextRunTime('MONTHLY', '00:02:29', 'UTC', start), /greater than 28/);
  });

  it('refuses what Integer.parseInt and the part count refuse, and rolls over what a lenient calendar does', () => {
    for (const bad of ['', 'x', '1.5', ' 5']) assert.throws(() => nextRunTime('HOURLY', bad, 'UTC', start), bad);
    assert.throws(() => nextRunTime('DAILY', '30', 'UTC', start));
    assert.throws(() => nextRunTime('WEEKLY', '30:12:', 'UTC', start), 'trailing empty parts are dropped');
    assert.equal(iso(nextRunTime('HOURLY', '75', 'UTC', start)), '2026-01-01T11:15:00.000Z');
  });

  it('keeps zone names Java knows, normalises GMT offsets, and reads the rest as GMT', () => {
    assert.deepEqual(
      ['CET', 'Europe/Paris', 'UTC', 'GMT+5', 'GMT-03:30', 'cet', 'Mars/Base', 'GMT+25'].map(javaTimeZone),
      ['CET', 'Europe/Paris', 'UTC', 'GMT+05:00', 'GMT-03:30', 'GMT', 'GMT', 'GMT'],
    );
  });

  it('writes a date as java.util.Date.toString does on a UTC server', () => {
    assert.equal(javaDateString(start), 'Thu Jan 01 10:20:00 UTC 2026');
  });
});
