import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskNumbersInText, readSurveyToken, signSurveyToken } from './surveyToken.js';

const secret = 'k'.repeat(32);
const claim = { orderId: '0b6f3c1e-2d4a-4f5b-9c8d-7e6f5a4b3c2d', repliedAt: new Date('2026-10-14T03:20:11.123Z'), expiresAt: new Date('2026-10-21T03:20:11Z') };
const now = new Date('2026-10-15T00:00:00Z');

describe('survey tokens', () => {
  it('round-trips the claim and is short enough for an SMS', () => {
    const t = signSurveyToken(claim, secret);
    assert.equal(t.length, 60);
    assert.match(t, /^[A-Za-z0-9_-]+$/, 'URL-safe, no dot (a path with a dot looks like a file to the web server)');
    assert.deepEqual(readSurveyToken(t, secret, now), { ok: true, claim });
  });
  it('expires at the expiry second', () => {
    const t = signSurveyToken(claim, secret);
    assert.deepEqual(readSurveyToken(t, secret, new Date('2026-10-21T03:20:10.999Z')).ok, true);
    assert.deepEqual(readSurveyToken(t, secret, new Date('2026-10-21T03:20:11Z')), { ok: false, reason: 'expired' });
  });
  it('refuses a changed payload, a changed signature, another secret', () => {
    const t = signSurveyToken(claim, secret);
    const flip = (x: string, i: number) => x.slice(0, i) + (x[i] === 'A' ? 'B' : 'A') + x.slice(i + 1);
    assert.deepEqual(readSurveyToken(flip(t, 5), secret, now), { ok: false, reason: 'bad_signature' }, 'payload');
    assert.deepEqual(readSurveyToken(flip(t, 50), secret, now), { ok: false, reason: 'bad_signature' }, 'signature');
    assert.deepEqual(readSurveyToken(t, 'x'.repeat(32), now), { ok: false, reason: 'bad_signature' });
    // A forged later expiry under the real signature is a forgery, not a valid or expired link.
    const later = signSurveyToken({ ...claim, expiresAt: new Date('2030-01-01T00:00:00Z') }, 'attacker'.repeat(4));
    assert.deepEqual(readSurveyToken(later.slice(0, 38) + t.slice(38), secret, now), { ok: false, reason: 'bad_signature' });
  });
  it('refuses garbage and non-canonical encodings', () => {
    for (const bad of ['', 'abc', 'a.b', '!!!', 'A'.repeat(59), 'A'.repeat(61), 'A'.repeat(60)]) {
      assert.equal(readSurveyToken(bad, secret, now).ok, false, bad);
    }
    const t = signSurveyToken(claim, secret);
    assert.equal(readSurveyToken(`${t}=`, secret, now).ok, false);
    assert.equal(readSurveyToken(`${t.slice(0, 30)}.${t.slice(30)}`, secret, now).ok, false);
    assert.equal(readSurveyToken(` ${t}`, secret, now).ok, false);
  });
  it('binds the reply: another reply of the same order is another token', () => {
    const a = signSurveyToken(claim, secret);
    const b = signSurveyToken({ ...claim, repliedAt: new Date(claim.repliedAt.getTime() + 1) }, secret);
    assert.notEqual(a, b);
    assert.throws(() => signSurveyToken({ ...claim, orderId: 'not-a-uuid' }, secret), RangeError);
  });
});

describe('masking numbers in free text', () => {
  it('masks mobile and ID-card numbers, leaves other digits', () => {
    assert.equal(maskNumbersInText('请联系13812345678或010-65123456'), '请联系138****5678或010-65123456');
    assert.equal(maskNumbersInText('身份证110105199001011234，门牌12号'), '身份证110105********1234，门牌12号');
    assert.equal(maskNumbersInText('身份证11010519900101123X'), '身份证110105********123X');
    assert.equal(maskNumbersInText('工单GD20261014000123'), '工单GD20261014000123', 'order numbers are 14 digits, not a phone');
  });
});
