import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectSpikes } from './spikes.js';

const days = (base: number[], today: number) => [...base, today];
const quiet = Array.from({ length: 28 }, (_, i) => (i % 7 === 0 ? 1 : 0));

describe('spikes as they start (未诉先办)', () => {
  it('flags a quiet place that suddenly gets many calls about one problem', () => {
    const [s] = detectSpikes(new Map([['GR.01|110105026', days(quiet, 9)]]));
    assert.equal(s?.key, 'GR.01|110105026');
    assert.equal(s?.today, 9);
    assert.ok((s?.z ?? 0) >= 3);
  });

  it('does not flag a place that is always this busy, nor a quiet place at two calls', () => {
    const busy = Array.from({ length: 28 }, (_, i) => 10 + (i % 3));
    assert.deepEqual(detectSpikes(new Map([['a', days(busy, 13)], ['b', days(quiet, 2)]])), []);
  });

  it('needs every threshold: enough calls, ratio to the mean and deviations', () => {
    const steady = Array.from({ length: 28 }, () => 4);
    assert.equal(detectSpikes(new Map([['x', days(steady, 7)]])).length, 0, 'under twice the mean');
    assert.equal(detectSpikes(new Map([['x', days(steady, 9)]])).length, 0, 'twice the mean but 2.5 deviations (Poisson floor √4)');
    assert.equal(detectSpikes(new Map([['x', days(steady, 11)]])).length, 1);
    assert.equal(detectSpikes(new Map([['x', days(steady, 11)]]), { minCount: 12 }).length, 0);
  });

  it('orders spikes strongest first', () => {
    const spikes = detectSpikes(new Map([['small', days(quiet, 6)], ['big', days(quiet, 20)]]));
    assert.deepEqual(spikes.map((s) => s.key), ['big', 'small']);
  });
});
