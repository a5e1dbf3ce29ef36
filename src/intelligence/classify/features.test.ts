// Tests for src/intelligence/text/features.ts (kept with the classifier tests, its main user).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BLOCK_BODY,
  BLOCK_TITLE,
  KeyIndex,
  MAX_BODY_CHARS,
  countTerms,
  decodeNgramKey,
  foldDigits,
  ngramKey,
  ngramKeys,
  normalizeText,
  vectorize,
} from '../text/features.js';

void test('normalizeText folds full-width forms, whitespace and case', () => {
  assert.deepEqual(normalizeText('　ＡＢＣ１２３，\n\t小区  停水！\u200b '), { text: 'abc123, 小区 停水!', truncated: false });
});

void test('normalizeText cuts at the maximum and says so', () => {
  const long = '噪'.repeat(MAX_BODY_CHARS + 10);
  const r = normalizeText(long);
  assert.equal(r.truncated, true);
  assert.equal(r.text.length, MAX_BODY_CHARS);
  assert.deepEqual(normalizeText('噪音', 2), { text: '噪音', truncated: false });
});

void test('normalizeText never leaves half a surrogate pair at the cut', () => {
  const r = normalizeText('ab😀cd', 3);
  assert.equal(r.truncated, true);
  assert.equal(r.text, 'ab');
});

void test('foldDigits maps every digit to 0', () => {
  assert.equal(foldDigits('2019年3月12日'), '0000年0月00日');
});

void test('ngram keys round-trip through decode and stay inside whitespace runs', () => {
  for (const gram of ['水', '停水', '停水了', 'a😀']) {
    assert.deepEqual(decodeNgramKey(ngramKey(BLOCK_TITLE, gram)), { block: BLOCK_TITLE, gram });
  }
  const keys = ngramKeys('小区 停水', 2, BLOCK_BODY, []);
  const grams = keys.map((k) => decodeNgramKey(k).gram).sort();
  assert.deepEqual(grams, ['停', '停水', '区', '小', '小区', '水'].sort());
  assert.equal(ngramKeys('', 3, BLOCK_BODY, []).length, 0);
  assert.equal(ngramKeys('abc', 3, BLOCK_BODY, []).length, 6);
  assert.notEqual(ngramKey(BLOCK_TITLE, '水'), ngramKey(BLOCK_BODY, '水'));
  assert.throws(() => ngramKey(BLOCK_BODY, 'abcd'), RangeError);
});

void test('countTerms sorts and counts repeats', () => {
  const t = countTerms([5, 3, 5, 5]);
  assert.deepEqual([...t.keys], [3, 5]);
  assert.deepEqual([...t.counts], [1, 3]);
});

void test('KeyIndex gives dense ids in insertion order and survives growth', () => {
  const ix = new KeyIndex(2);
  const keys = Array.from({ length: 5000 }, (_, i) => ngramKey(BLOCK_BODY, String.fromCharCode(0x4e00 + (i % 3000), 0x4e00 + Math.floor(i / 3000))));
  keys.forEach((k, i) => assert.equal(ix.add(k), i));
  assert.equal(ix.size, 5000);
  keys.forEach((k, i) => assert.equal(ix.get(k), i));
  assert.equal(ix.add(keys[42] ?? 0), 42);
  assert.equal(ix.get(ngramKey(BLOCK_TITLE, '无')), -1);
  assert.equal(ix.keyAt(7), keys[7]);
});

void test('vectorize normalises each block on its own and weights it', () => {
  const vocab = new KeyIndex();
  vocab.add(ngramKey(BLOCK_BODY, '水'));
  vocab.add(ngramKey(BLOCK_TITLE, '水'));
  vocab.add(ngramKey(BLOCK_BODY, '电'));
  const keys = [...ngramKeys('水水水电', 1, BLOCK_BODY, []), ...ngramKeys('水', 1, BLOCK_TITLE, []), ...ngramKeys('气', 1, BLOCK_BODY, [])];
  const x = vectorize(countTerms(keys), vocab, { sublinear: false, blockWeights: [0, 2, 1, 0] });
  const byIndex = new Map([...x.indices].map((j, k) => [j, x.values[k] ?? 0]));
  assert.equal(byIndex.size, 3, 'the unknown 气 is ignored');
  assert.ok(Math.abs((byIndex.get(1) ?? 0) - 2) < 1e-12, 'title block: unit norm times weight 2');
  const norm = Math.hypot(byIndex.get(0) ?? 0, byIndex.get(2) ?? 0);
  assert.ok(Math.abs(norm - 1) < 1e-12, 'body block has unit norm');
  assert.ok(Math.abs((byIndex.get(0) ?? 0) / (byIndex.get(2) ?? 1) - 3) < 1e-12, 'raw counts 3:1');
  const s = vectorize(countTerms(keys), vocab, { sublinear: true, blockWeights: [0, 1, 1, 0] });
  const sb = new Map([...s.indices].map((j, k) => [j, s.values[k] ?? 0]));
  assert.ok(Math.abs((sb.get(0) ?? 0) / (sb.get(2) ?? 1) - (1 + Math.log(3))) < 1e-12, 'sublinear tf');
});
