import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRunTime, ScheduleError } from '../../src/domain/schedule.js';
import { javaZone } from '../../src/domain/timezone.js';

// Thursday 1 January 2026, 00:00 GMT.
const START = Date.UTC(2026, 0, 1);
const at = (iso: string) => Date.parse(iso);
const next = (type: Parameters<typeof nextRunTime>[0], schedule: string, tz = 'UTC', start = START) =>
  new Date(nextRunTime(type, schedule, javaZone(tz), start)).toISOString();

describe('DateUtil.getNextRunTime: when a snapshot policy runs next', () => {
  it('hourly MM, daily MM:HH, weekly MM:HH:DOW (1 = Sunday), monthly MM:HH:DOM, strictly after the start', () => {
    assert.equal(next('HOURLY', '5'), '2026-01-01T00:05:00.000Z');
    assert.equal(next('HOURLY', '0'), '2026-01-01T01:00:00.000Z', 'a run at the start itself is the next hour');
    assert.equal(next('DAILY', '30:02'), '2026-01-01T02:30:00.000Z');
    assert.equal(next('DAILY', '00:00'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('WEEKLY', '0:1:5'), '2026-01-01T01:00:00.000Z', 'Thursday is day 5');
    assert.equal(next('WEEKLY', '0:1:1'), '2026-01-04T01:00:00.000Z', "this week's Sunday has passed: next week's");
    assert.equal(next('MONTHLY', '0:1:28'), '2026-01-28T01:00:00.000Z');
    assert.equal(next('MONTHLY', '0:0:1'), '2026-02-01T00:00:00.000Z');
  });

  it('reads the schedule in its time zone, daylight saving included', () => {
    assert.equal(next('DAILY', '0:9', 'America/New_York'), '2026-01-01T14:00:00.000Z');
    assert.equal(next('DAILY', '0:9', 'America/New_York', at('2026-07-01T00:00:00Z')), '2026-07-01T13:00:00.000Z');
    assert.equal(
      next('DAILY', '30:2', 'America/New_York', at('2026-03-07T12:00:00Z')),
      '2026-03-08T07:30:00.000Z',
      '02:30 does not exist that night: 03:30 EDT',
    );
    assert.equal(next('DAILY', '0:9', 'GMT+5:30'), '2026-01-01T03:30:00.000Z');
  });

  it('lets out-of-range fields carry as a lenient Calendar does', () => {
    assert.equal(next('HOURLY', '75'), '2026-01-01T01:15:00.000Z');
    assert.equal(next('DAILY', '0:25'), '2026-01-02T01:00:00.000Z');
  });

  it('refuses too few parts, parts that are not numbers and a monthly day past 28', () => {
    for (const [type, s] of [
      ['DAILY', '30'],
      ['WEEKLY', '0:1'],
      ['MONTHLY', '0:1:29'],
      ['HOURLY', ''],
      ['HOURLY', 'x'],
      ['DAILY', '1.5:2'],
      ['HOURLY', '99999999999'],
    ] as const) {
      assert.throws(() => nextRunTime(type, s, javaZone('UTC'), START), ScheduleError, `${type} ${s}`);
    }
    assert.equal(
      next('DAILY', '30:2:'),
      '2026-01-01T02:30:00.000Z',
      'trailing empty parts are dropped, as String.split drops them',
    );
  });
});

describe('TimeZone.getTimeZone: the id CloudStack keeps', () => {
  it('keeps a known id, writes a GMT offset in full and falls back to GMT for anything else', () => {
    assert.equal(javaZone('Europe/Zurich').id, 'Europe/Zurich');
    assert.equal(javaZone('US/Arizona').id, 'US/Arizona');
    assert.equal(javaZone('PST').id, 'PST');
    assert.equal(javaZone('GMT-8').id, 'GMT-08:00');
    assert.equal(javaZone('GMT+0530').id, 'GMT+05:30');
    assert.equal(javaZone('Mars/Olympus').id, 'GMT');
    assert.equal(javaZone('GMT+25').id, 'GMT');
    assert.equal(javaZone('').id, 'GMT');
  });
});
