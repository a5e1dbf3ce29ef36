import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointProblem } from '../units/updateUnit.js';
import { DEMO_STREET_POINTS } from './seedDemo.js';

void test('the demo streets’ points lie inside their own district, as an administrator’s would have to', () => {
  for (const p of DEMO_STREET_POINTS) assert.equal(pointProblem(`/110000/${p.code.slice(0, 6)}/${p.code}/`, p), null, p.code);
});
