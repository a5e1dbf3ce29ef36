import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canSeeOrder,
  isUnitLevel,
  isUnitPath,
  isWithin,
  orderUnitPaths,
  parentPathOf,
  scopePathOf,
  unitLevelLabels,
  unitLevels,
} from './jurisdiction.js';
import { hotlineRoles, isRole, roleLabels, roles, type ActorRef } from './roles.js';

const CITY = '/110000/';
const CHAOYANG = '/110000/110105/';
const WANGJING = '/110000/110105/110105026/';
const JIUXIANQIAO = '/110000/110105/110105011/';
const CGZF = '/110000/110105/110105-CGZF/';

const staff = (role: ActorRef['role'], scopePath: string): ActorRef => ({ userId: `u-${role}`, role, unitId: 'x', scopePath });

describe('roles', () => {
  it('eight roles with Chinese labels', () => {
    assert.equal(roles.length, 8);
    assert.deepEqual(roleLabels, {
      citizen: '诉求人',
      agent: '受理员',
      dispatcher: '派单员',
      handler: '承办人',
      grid_worker: '网格员',
      supervisor: '督办员',
      leader: '领导',
      admin: '管理员',
    });
    assert.ok(hotlineRoles.includes('agent'));
  });

  it('narrows stored strings', () => {
    assert.equal(isRole('grid_worker'), true);
    assert.equal(isRole('root'), false);
  });
});

describe('unit paths', () => {
  it('levels and labels', () => {
    assert.equal(unitLevels.length, 8);
    assert.equal(unitLevelLabels.centre, '12345热线中心');
    assert.equal(isUnitLevel('street'), true);
    assert.equal(isUnitLevel('province'), false);
  });

  it('well-formed paths', () => {
    for (const p of [CITY, WANGJING, CGZF, '/110000/110000-12345/']) assert.equal(isUnitPath(p), true, p);
    for (const p of ['', '/', '110000/', '/110000', '//', '/110000//110105/', '/a b/']) assert.equal(isUnitPath(p), false, p);
  });

  it('parents', () => {
    assert.equal(parentPathOf(WANGJING), CHAOYANG);
    assert.equal(parentPathOf(CHAOYANG), CITY);
    assert.equal(parentPathOf(CITY), null);
  });

  it('the hotline centre acts for its city; every other unit for its own subtree', () => {
    assert.equal(scopePathOf({ path: '/110000/110000-12345/', level: 'centre', parentPath: CITY }), CITY);
    assert.equal(scopePathOf({ path: '/110000/110000-12345/', level: 'centre' }), CITY);
    assert.equal(scopePathOf({ path: '/110000/110000-12345/', level: 'centre', parentPath: null }), CITY);
    assert.equal(scopePathOf({ path: WANGJING, level: 'street', parentPath: CHAOYANG }), WANGJING);
    assert.equal(scopePathOf({ path: CGZF, level: 'department' }), CGZF);
  });

  it('within is a prefix test on whole segments', () => {
    assert.equal(isWithin(CITY, WANGJING), true);
    assert.equal(isWithin(CHAOYANG, WANGJING), true);
    assert.equal(isWithin(WANGJING, WANGJING), true);
    assert.equal(isWithin(WANGJING, CHAOYANG), false);
    assert.equal(isWithin(JIUXIANQIAO, WANGJING), false);
    assert.equal(isWithin('/110000/1101/', '/110000/110105/'), false, 'no partial-segment match');
    assert.equal(isWithin(null, WANGJING), false);
    assert.equal(isWithin(CITY, null), false);
    assert.equal(isWithin('/110000', '/1100000/'), false, 'malformed scope never matches');
  });
});

describe('canSeeOrder', () => {
  const order = { requesterUserIds: ['c1'], unitPaths: orderUnitPaths({ leadUnitPath: WANGJING, coUnitPaths: [CGZF], cityPath: null }) };

  it('Journey 11: the street sees its own, not the neighbour\'s; the district leader sees both', () => {
    assert.equal(canSeeOrder(staff('handler', WANGJING), order), true);
    assert.equal(canSeeOrder(staff('handler', JIUXIANQIAO), order), false);
    assert.equal(canSeeOrder(staff('leader', CHAOYANG), order), true);
  });

  it('a co-unit and a whistle-summoned unit see the order', () => {
    assert.equal(canSeeOrder(staff('handler', CGZF), order), true);
    const whistled = { requesterUserIds: [], unitPaths: orderUnitPaths({ leadUnitPath: WANGJING, whistleUnitPaths: ['/110000/110105/110105-SCJG/'] }) };
    assert.equal(canSeeOrder(staff('handler', '/110000/110105/110105-SCJG/'), whistled), true);
  });

  it('hotline staff see orders not yet dispatched through the city path', () => {
    const fresh = { requesterUserIds: ['c1'], unitPaths: orderUnitPaths({ leadUnitPath: null, cityPath: CITY }) };
    assert.equal(canSeeOrder(staff('agent', CITY), fresh), true);
    assert.equal(canSeeOrder(staff('leader', CHAOYANG), fresh), false);
  });

  it('citizens see only their own requests, whatever their scope', () => {
    assert.equal(canSeeOrder({ userId: 'c1', role: 'citizen', scopePath: null }, order), true);
    assert.equal(canSeeOrder({ userId: 'c2', role: 'citizen', scopePath: null }, order), false);
    assert.equal(canSeeOrder({ userId: 'c2', role: 'citizen', scopePath: CITY }, order), false);
  });

  it('orderUnitPaths skips empty entries', () => {
    assert.deepEqual(orderUnitPaths({ leadUnitPath: null, coUnitPaths: [], cityPath: undefined }), []);
  });
});
