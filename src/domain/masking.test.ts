import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskName, maskPhone } from './masking.js';

describe('masking personal data', () => {
  it('masks phone numbers keeping the first three and last four digits', () => {
    assert.equal(maskPhone('13912345678'), '139****5678');
    assert.equal(maskPhone('010-6512 3456'), '010****3456');
    assert.equal(maskPhone('12'), '12');
    assert.equal(maskPhone(null), null);
  });
  it('masks names after the surname', () => {
    assert.equal(maskName('张伟'), '张*');
    assert.equal(maskName('欧阳娜娜'), '欧***');
    assert.equal(maskName('李'), '*');
  });
});
