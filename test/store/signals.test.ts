import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDialect } from '../helpers/dialects.js';
import { until } from '../helpers/inprocess.js';

forEachDialect('signals between nodes', (use) => {
  it('a burst of the same message is heard after the last of them was said, by every node', () =>
    use(async (d) => {
      const [a, b] = [await d.open(), await d.peer()];
      const events: string[] = [];
      b.signals.subscribe('jobs', () => events.push('heard'));
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          events.push('said');
          await a.signals.publish('jobs');
        }),
      );
      // However many NOTIFYs the burst became, one left after the last publish was called.
      await until(() => events.lastIndexOf('heard') > events.lastIndexOf('said'));
      const heard = events.filter((e) => e === 'heard').length;
      assert.ok(heard >= 1 && heard <= 50);
    }));
});
