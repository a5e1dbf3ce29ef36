import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changeFrom, rankUnits } from './ranking.js';

const row = (unitId: string, score: number | null, volume = 10) => ({ unitId, score, volume });

describe('ranking units by score', () => {
  it('ranks best first; equal scores share a rank and the next rank skips (1, 2, 2, 4)', () => {
    const r = rankUnits([row('a', 80), row('b', 95), row('c', 90), row('d', 90)], 0);
    assert.deepEqual(r.map((x) => [x.unitId, x.rank]), [['b', 1], ['c', 2], ['d', 2], ['a', 4]]);
  });
  it('lists equals by volume, then by code, so the table is stable', () => {
    const r = rankUnits([row('z', 90, 5), row('y', 90, 50), row('x', 90, 5)], 0);
    assert.deepEqual(r.map((x) => x.unitId), ['y', 'x', 'z']);
    assert.ok(r.every((x) => x.rank === 1));
  });
  it('puts units without a score last, unranked', () => {
    const r = rankUnits([row('n2', null, 0), row('a', 50), row('n1', null, 3), row('b', 60)], 0);
    assert.deepEqual(r.map((x) => [x.unitId, x.rank]), [['b', 1], ['a', 2], ['n1', null], ['n2', null]]);
  });
  it('marks the worst N ranked for attention, with anyone tied at the cut, never the unranked', () => {
    const r = rankUnits([row('a', 99), row('b', 90), row('c', 80), row('d', 80), row('e', 70), row('f', null)], 2);
    assert.deepEqual(r.filter((x) => x.attention).map((x) => x.unitId), ['c', 'd', 'e']);
    assert.deepEqual(rankUnits([row('a', 1)], 0).filter((x) => x.attention), []);
    assert.equal(rankUnits([row('a', 1), row('b', 2)], 2).filter((x) => x.attention).length, 0, 'no more ranked than places: nobody is named');
    assert.deepEqual(rankUnits([row('a', 1), row('b', 2), row('c', 3)], 2).filter((x) => x.attention).map((x) => x.unitId), ['b', 'a']);
    assert.deepEqual(rankUnits([], 3), []);
  });
});

describe('change from the month before', () => {
  it('counts places moved up as positive and points to 0.01', () => {
    assert.deepEqual(changeFrom({ rank: 3, score: 91.5 }, { rank: 5, score: 90 }), { previousRank: 5, previousScore: 90, rankChange: 2, scoreChange: 1.5 });
    assert.deepEqual(changeFrom({ rank: 7, score: 80.1 }, { rank: 2, score: 90.3 }), { previousRank: 2, previousScore: 90.3, rankChange: -5, scoreChange: -10.2 });
    assert.deepEqual(changeFrom({ rank: 1, score: 90 }, { rank: 1, score: 90 }), { previousRank: 1, previousScore: 90, rankChange: 0, scoreChange: 0 });
  });
  it('has no change where either month is unranked', () => {
    assert.deepEqual(changeFrom({ rank: 1, score: 90 }, undefined), { previousRank: null, previousScore: null, rankChange: null, scoreChange: null });
    assert.deepEqual(changeFrom({ rank: null, score: null }, { rank: 4, score: 70 }), { previousRank: 4, previousScore: 70, rankChange: null, scoreChange: null });
  });
});
