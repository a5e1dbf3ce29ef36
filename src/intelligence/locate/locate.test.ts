import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locate } from './locate.js';
import type { LocateInput } from './locate.js';

void test('journey 1: 朝阳区望京西园三区 → 朝阳区, 望京街道, 望京西园三区社区', () => {
  const loc = locate({ body: '朝阳区望京西园三区楼下烧烤店油烟直排，每天开到夜里十二点，窗户都不敢开' });
  assert.deepEqual(loc.district, { code: '110105', name: '朝阳区' });
  assert.deepEqual(loc.street, { code: '110105026', name: '望京街道' });
  assert.deepEqual(loc.community, { code: '110105026051', name: '望京西园三区社区居委会' });
  assert.deepEqual(loc.codes, { district: '110105', street: '110105026', community: '110105026051' });
  assert.ok(loc.confidence >= 0.8, `confidence ${loc.confidence}`);
  assert.ok(loc.evidence.some((e) => e.includes('「望京西园三区」') && e.includes('望京街道')), loc.evidence.join(' | '));
  assert.equal(loc.ambiguous, undefined);
});

void test('coordinates beat text: a point in 海淀 with text naming 朝阳 → 海淀', () => {
  const loc = locate({ body: '朝阳区望京这里有人占道经营', lat: 39.983, lng: 116.316 });
  assert.equal(loc.district?.code, '110108');
  // 望京 is in 朝阳, so it cannot be the street of a point in 海淀.
  assert.equal(loc.street, null);
  assert.ok(loc.evidence[0]?.includes('位于海淀区'), loc.evidence.join(' | '));
  assert.ok(loc.evidence.some((e) => e.includes('「朝阳区」') && e.includes('以坐标为准')), loc.evidence.join(' | '));
});

void test('coordinates and text agree: the street comes from the text, the district from the point', () => {
  const loc = locate({ body: '望京西园三区门口路灯不亮', lat: 39.996, lng: 116.47 });
  assert.equal(loc.codes.street, '110105026');
  assert.equal(loc.codes.community, '110105026051');
  assert.ok(loc.confidence >= 0.9);
});

void test('a point outside Beijing is said so, and the text decides', () => {
  const loc = locate({ body: '海淀区中关村大街路面破损', lat: 31.23, lng: 121.47 });
  assert.ok(loc.evidence[0]?.includes('不在北京市范围内'), loc.evidence.join(' | '));
  assert.equal(loc.codes.district, '110108');
  assert.equal(loc.codes.street, '110108011');
});

void test('bad coordinates are ignored with a reason', () => {
  assert.ok(locate({ body: '望京', lat: 0, lng: 0 }).evidence.some((e) => e.includes('(0, 0)')));
  assert.ok(locate({ body: '望京', lat: 200, lng: 500 }).evidence.some((e) => e.includes('超出经纬度范围')));
  assert.ok(locate({ body: '望京', lat: 39.9 }).evidence.some((e) => e.includes('坐标不完整')));
  // Swapped latitude and longitude are a common export error.
  const swapped = locate({ body: '', lat: 116.47, lng: 39.996 });
  assert.equal(swapped.codes.district, '110105');
  assert.ok(swapped.evidence[0]?.includes('颠倒'));
});

void test('八里庄 without a district is ambiguous; with 海淀 it is 海淀\'s', () => {
  const alone = locate({ body: '八里庄街道这边路灯不亮' });
  assert.equal(alone.district, null);
  assert.equal(alone.street, null);
  assert.ok(alone.confidence > 0 && alone.confidence <= 0.3, `confidence ${alone.confidence}`);
  assert.deepEqual(
    alone.ambiguous?.map((a) => [a.district.name, a.street?.code]),
    [
      ['朝阳区', '110105015'],
      ['海淀区', '110108005'],
    ],
  );
  assert.ok(alone.evidence.some((e) => e.includes('无法确定')), alone.evidence.join(' | '));

  const haidian = locate({ body: '海淀区八里庄街道这边路灯不亮' });
  assert.equal(haidian.codes.district, '110108');
  assert.equal(haidian.codes.street, '110108005');
  assert.ok(haidian.evidence.some((e) => e.includes('都有') && e.includes('海淀区')), haidian.evidence.join(' | '));

  const byPoint = locate({ body: '八里庄路灯不亮', lat: 39.923, lng: 116.293 });
  assert.equal(byPoint.codes.street, '110108005');
});

void test('aliases: 望京 → 望京街道; 回天 → 昌平区, street undecided among its streets', () => {
  const wangjing = locate({ body: '我家在望京，楼下饭馆太吵' });
  assert.equal(wangjing.codes.street, '110105026');
  const huitian = locate({ body: '回天地区早高峰拥堵严重' });
  assert.equal(huitian.codes.district, '110114');
  assert.equal(huitian.street, null);
  assert.equal(huitian.landmark, '回天地区');
  assert.ok((huitian.ambiguous?.length ?? 0) >= 6);
  assert.ok(huitian.ambiguous?.every((a) => a.district.code === '110114'));
  // With a street named too, the street decides.
  assert.equal(locate({ body: '回天地区霍营街道路灯不亮' }).codes.street, '110114010');
});

void test('the address outweighs the body', () => {
  const loc = locate({ address: '北京市海淀区中关村大街27号', body: '我上班在朝阳区，家住这里，楼下施工太吵' });
  assert.equal(loc.codes.district, '110108');
  assert.equal(loc.codes.street, '110108011');
  assert.ok(loc.evidence.some((e) => e.startsWith('地址中的')));
});

void test('nothing recognisable: all null, confidence 0, evidence says why', () => {
  const loc = locate({ body: '我想咨询一下居住证怎么办理' });
  assert.deepEqual(loc.codes, { district: null, street: null, community: null });
  assert.equal(loc.district, null);
  assert.equal(loc.confidence, 0);
  assert.deepEqual(loc.evidence, ['文中没有可识别的北京地名，无法定位']);
  assert.deepEqual(locate({ body: '' }).evidence, ['没有地址、标题或正文可读，无法定位']);
  // An everyday word that is also a town's short name is not enough on its own.
  const weak = locate({ body: '小区南口的路灯不亮' });
  assert.equal(weak.district, null);
  assert.ok(weak.evidence[0]?.includes('「南口」'));
  assert.equal(locate({ body: '昌平区小区南口的路灯不亮' }).codes.street, '110114002');
});

void test('ring roads are not the streets they contain', () => {
  assert.equal(locate({ body: '东四环辅路有个大坑' }).district, null);
});

/** A hand-labelled set: [input, expected district code, expected street code] (null: cannot be decided). */
const labelled: [LocateInput, string | null, string | null][] = [
  [{ body: '朝阳区望京西园三区楼下烧烤店油烟直排' }, '110105', '110105026'],
  [{ body: '花家地西里小区门口垃圾堆了好几天' }, '110105', '110105026'],
  [{ body: '三里屯太古里附近深夜酒吧噪音扰民' }, '110105', '110105004'],
  [{ body: '国贸桥下积水很深，车辆无法通行' }, '110105', '110105001'],
  [{ address: '朝阳区双井街道九龙山', body: '小区电梯又坏了' }, '110105', '110105016'],
  [{ body: '劲松一带的便道砖坏了很多' }, '110105', '110105017'],
  [{ body: '常营地区天街附近共享单车乱停' }, '110105', '110105033'],
  [{ body: '798艺术区门口占道经营' }, '110105', '110105011'],
  [{ body: '海淀区中关村街道的路灯不亮' }, '110108', '110108011'],
  [{ body: '五道口地铁站出口拥挤' }, '110108', '110108010'],
  [{ body: '上地街道有工地夜间施工' }, '110108', '110108022'],
  [{ address: '海淀区学院路街道', body: '小区停车难' }, '110108', '110108010'],
  [{ body: '清华大学东门外道路破损' }, '110108', '110108014'],
  [{ body: '西三旗这边有人私搭乱建' }, '110108', '110108019'],
  [{ body: '东城区交道口南锣鼓巷游客太多' }, '110101', '110101003'],
  [{ body: '王府井大街有人发小广告' }, '110101', '110101001'],
  [{ body: '北京站广场有黑车拉客' }, '110101', '110101008'],
  [{ body: '西城区什刹海后海酒吧噪音' }, '110102', '110102012'],
  [{ body: '西单商场门口有流动摊贩' }, '110102', '110102001'],
  [{ body: '金融街街道有人遛狗不拴绳' }, '110102', '110102011'],
  [{ body: '丰台区方庄芳古园一区停车乱收费' }, '110106', '110106013'],
  [{ body: '北京南站出租车拒载' }, '110106', '110106001'],
  [{ body: '石景山区八角街道古城南路施工扰民' }, '110107', '110107003'],
  [{ body: '门头沟区大峪街道龙山三区供暖不热' }, '110109', '110109001'],
  [{ body: '房山区良乡地区的公交站牌被撞坏了' }, '110111', '110111008'],
  [{ body: '通州区宋庄镇画家村路灯不亮' }, '110112', '110112104'],
  [{ body: '城市副中心这边的地铁末班车太早' }, '110112', null],
  [{ body: '顺义区胜利街道菜市场关停了' }, '110113', '110113001'],
  [{ body: '昌平区回龙观街道的公厕太脏' }, '110114', '110114011'],
  [{ body: '天通苑北一区门口的井盖丢了' }, '110114', '110114008'],
  [{ body: '亦庄开发区企业排放废气' }, '110115', '110115403'],
  [{ body: '大兴区旧宫地区小区物业不作为' }, '110115', '110115006'],
  [{ body: '大兴机场高速收费站拥堵' }, '110115', '110115406'],
  [{ body: '怀柔区雁栖湖附近农家乐乱收费' }, '110116', '110116004'],
  [{ body: '平谷区金海湖镇的村里停电了' }, '110117', '110117006'],
  [{ body: '密云区古北口镇景区宰客' }, '110118', '110118111'],
  [{ body: '延庆区八达岭镇长城脚下垃圾没人清运' }, '110119', '110119102'],
  [{ body: '八里庄这边的路灯坏了' }, null, null],
  [{ body: '我们小区门口的商业街有人占道经营' }, null, null],
  [{ body: '请问公积金怎么提取' }, null, null],
  [{ body: '朝阳区有人在小区里烧烤', lat: 39.983, lng: 116.316 }, '110108', null],
  [{ body: '望京街道阜通东大街路灯不亮', lat: 39.996, lng: 116.47 }, '110105', '110105026'],
  // Written after the rules were set and run once unchanged (see docs/intelligence-locate-route.md).
  [{ title: '亚运村安慧里小区停车难', body: '安慧里四区外来车辆太多' }, '110105', '110105009'],
  [{ body: '朝阳区潘家园旧货市场周边交通拥堵' }, '110105', '110105018'],
  [{ address: '北京市朝阳区来广营北苑家园', body: '小区供暖不热' }, '110105', '110105032'],
  [{ body: '酒仙桥路上的红绿灯坏了' }, '110105', '110105011'],
  [{ body: '海淀区北太平庄街道蓟门里小区漏水' }, '110108', '110108008'],
  [{ body: '清河街道安宁庄路施工噪音' }, '110108', '110108017'],
  [{ body: '中关村南大街40号院里垃圾清运不及时' }, '110108', '110108007'],
  [{ body: '东城区和平里街道的健身器材坏了' }, '110101', '110101010'],
  [{ body: '西城区月坛街道三里河一区电梯停运' }, '110102', '110102007'],
  [{ body: '牛街附近清真餐馆油烟扰民' }, '110102', '110102018'],
  [{ body: '丰台区卢沟桥宛平城附近乱停车' }, '110106', null],
  [{ body: '马家堡东路有人占道摆摊' }, '110106', '110106015'],
  [{ body: '石景山区鲁谷街道路面塌陷' }, '110107', '110107011'],
  [{ body: '通州区梨园镇云景里小区物业乱收费' }, '110112', '110112121'],
  [{ body: '昌平区沙河地区于辛庄村有人焚烧垃圾' }, '110114', '110114004'],
  [{ body: '大兴区黄村西大街路灯不亮' }, '110115', '110115005'],
  [{ body: '顺义区后沙峪地区某别墅区私搭乱建' }, '110113', '110113004'],
  [{ body: '怀柔区泉河街道有商户噪音扰民' }, '110116', '110116001'],
  [{ body: '延庆区儒林街道的路灯坏了' }, '110119', '110119003'],
  [{ body: '北京西站南广场出租车排队太长' }, '110106', null],
];

void test(`hand-labelled set: district and street both right on ≥ 90% of ${labelled.length} requests`, () => {
  const wrong: string[] = [];
  for (const [input, district, street] of labelled) {
    const loc = locate(input);
    if (loc.codes.district !== district || loc.codes.street !== street) {
      wrong.push(`${input.address ?? ''}${input.body ?? ''} → ${loc.codes.district}/${loc.codes.street}, expected ${district}/${street}`);
    }
  }
  const accuracy = 1 - wrong.length / labelled.length;
  assert.ok(accuracy >= 0.9, `accuracy ${accuracy.toFixed(3)}; wrong:\n${wrong.join('\n')}`);
});
