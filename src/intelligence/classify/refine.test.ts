import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCategories, trainingLabels } from '../../store/reference/index.js';
import { ALARM_WORDS, refineCategory, searchCategoriesByKeywords } from './refine.js';

const journey1 = '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开';

void test('油烟 under 环境保护 → 餐饮油烟扰民 (HB.02)', () => {
  const r = refineCategory({ top: '环境保护', body: journey1 });
  assert.equal(r.category.code, 'HB.02');
  assert.equal(r.category.name, '餐饮油烟扰民');
  assert.equal(r.overridden, false);
  assert.ok(r.matchedKeywords.includes('油烟') && r.matchedKeywords.includes('烧烤'), r.matchedKeywords.join(','));
  assert.ok(r.score > 0);
  // The top-level code works as well as the training label.
  assert.equal(refineCategory({ top: 'HB', body: journey1 }).category.code, 'HB.02');
});

void test('煤气味 → 燃气泄漏, overriding 城乡建设 even from a confident classifier', () => {
  const r = refineCategory({ top: '城乡建设', confidence: 0.97, body: '楼道里有很大的煤气味' });
  assert.equal(r.category.code, 'GY.03.01');
  assert.equal(r.category.name, '燃气泄漏');
  assert.equal(r.category.urgency, 'emergency');
  assert.equal(r.overridden, true);
  assert.ok(r.reason.includes('煤气味'), r.reason);
  // jieba cuts 煤气味道 as 煤气 + 味道; the long keyword still matches as a substring.
  assert.equal(refineCategory({ top: '城乡建设', body: '一进单元门就闻到煤气味道' }).category.code, 'GY.03.01');
});

void test('a deeper category wins over its parent on the same words', () => {
  const r = refineCategory({ top: '城乡建设', body: '阜通东大街的路灯不亮，晚上一片漆黑' });
  assert.equal(r.category.code, 'CX.05.01');
  assert.ok(r.alternatives.some((a) => a.category.code === 'CX.05'));
});

void test('title words count more than body words', () => {
  const r = refineCategory({ top: '城乡建设', title: '电梯坏了', body: '小区物业不管，楼道里也很脏' });
  assert.equal(r.category.code, 'CX.02.02');
  assert.ok(r.matchedKeywords[0]?.startsWith('标题:'));
});

void test('keywords of another trained branch override only a weak label', () => {
  const weak = refineCategory({ top: '教育文体', confidence: 0.4, body: '孩子学校门口的路灯不亮' });
  assert.equal(weak.category.code, 'CX.05.01');
  assert.equal(weak.overridden, true);
  assert.ok(weak.reason.includes('置信度'), weak.reason);
  for (const confidence of [0.95, undefined]) {
    const kept = refineCategory({ top: '教育文体', body: '孩子学校门口的路灯不亮', ...(confidence === undefined ? {} : { confidence }) });
    assert.equal(kept.category.code.split('.')[0], 'JY');
    assert.equal(kept.overridden, false);
  }
});

void test('branches the classifier does not know override on specific keywords, whatever its confidence', () => {
  const water = refineCategory({ top: '城乡建设', confidence: 0.95, body: '家里突然停水两天了' });
  assert.equal(water.category.code, 'GY.01.01');
  assert.equal(water.overridden, true);
  // A short call summary: one specific keyword is enough.
  assert.equal(refineCategory({ top: '城乡建设', body: '家里停水了' }).category.code, 'GY.01.01');
  // Everyday words (希望, 建议) do not move a request into 其他.
  const generic = refineCategory({ top: '城乡建设', body: '希望有关部门尽快解决小区的违建问题，建议拆除' });
  assert.equal(generic.category.code, 'CX.01');
  assert.equal(generic.overridden, false);
});

void test('alarm words in a story or a risk are not an emergency now', () => {
  const risk = refineCategory({ top: '城乡建设', body: '楼道里电线乱拉，容易起火，存在很大隐患' });
  assert.notEqual(risk.category.code, 'GA.01.01');
  const past = refineCategory({ top: '城乡建设', body: '去年这栋楼发生过起火，现在消防通道还是被堵' });
  assert.notEqual(past.category.code, 'GA.01.01');
  const now = refineCategory({ top: '城乡建设', body: '对面楼着火了，冒出很多浓烟' });
  assert.equal(now.category.code, 'GA.01.01');
  assert.equal(now.overridden, true);
});

void test('no keyword at all keeps the predicted top level; an unknown label falls back to keywords or 其他', () => {
  const plain = refineCategory({ top: '城乡建设', body: '服务不热情' });
  assert.equal(plain.category.code, 'CX');
  assert.equal(plain.score, 0);
  assert.equal(plain.overridden, false);
  assert.equal(refineCategory({ top: '未知类别', body: '今天天气很好' }).category.code, 'QT');
  assert.equal(refineCategory({ top: '未知类别', body: '小区垃圾满了没人收' }).category.code, 'CX.06.01');
});

void test('words inside longer words do not match (不热 in 不热情, 火灾 in 火灾隐患 is no fire)', () => {
  assert.ok(!searchCategoriesByKeywords('服务员不热情').some((m) => m.category.code === 'GY.04.01'));
  assert.equal(searchCategoriesByKeywords('暖气不热，室温才十几度')[0]?.category.code, 'GY.04.01');
  const hazard = refineCategory({ top: '城乡建设', body: '小区消防通道被占，有火灾隐患' });
  assert.notEqual(hazard.category.code, 'GA.01.01');
});

void test('searchCategoriesByKeywords reaches branches the classifier does not know', () => {
  assert.equal(searchCategoriesByKeywords('楼道里有很大的煤气味')[0]?.category.name, '燃气泄漏');
  assert.equal(searchCategoriesByKeywords({ title: '联通宽带装不上', body: '' })[0]?.category.code, 'GY.06.02');
  assert.deepEqual(searchCategoriesByKeywords(''), []);
  const top = new Set(defaultCategories.filter((c) => !c.parent).map((c) => c.name));
  assert.ok([...top].some((n) => !(trainingLabels as readonly string[]).includes(n)));
});

void test('every alarm word is a keyword of an emergency category', () => {
  for (const w of ALARM_WORDS) {
    assert.ok(
      defaultCategories.some((c) => c.urgency === 'emergency' && c.keywords.includes(w)),
      `${w} is not an emergency keyword`,
    );
  }
});
