import { createHash } from 'node:crypto';
import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import { createMigrator, createSqliteStore, openDatabase, orderV2, type Picking } from '../src/app';
import { answerTo } from '../src/answers';
import { InvalidIdempotencyKey, KeyReused } from '../src/domain-errors';
import { fingerprintOf, parseIdempotencyKey, sameRequest } from '../src/idempotency';
import { parsePickRequest } from '../src/pick-request';
import { defaults } from '../src/pick';

describe('parseIdempotencyKey', () => {
  test.each([
    ['a quoted key (the draft\'s sf-string)', '"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['a bare key', '8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['a quoted key with a space and escapes', '"a b \\"c\\" \\\\"', 'a b "c" \\'],
    ['no header', undefined, undefined],
  ])('reads %s', (_case, header, key) => {
    expect(parseIdempotencyKey(header)).toBe(key);
  });

  test.each([
    ['an empty value', ''],
    ['empty quotes', '""'],
    ['a bare key with a space', 'a b'],
    ['an unterminated quote', '"abc'],
    ['a stray backslash in quotes', '"a\\b"'],
    ['a key over 255 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé'],
  ])('refuses %s: InvalidIdempotencyKey, answered 400', (_case, header) => {
    const refusal = parseIdempotencyKey(header);
    expect(refusal).toBeInstanceOf(InvalidIdempotencyKey);
    expect(answerTo(refusal)).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
  });
});

describe('fingerprintOf', () => {
  const pick = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] };
  // What every release before requestFingerprint stored for this pick: a key it recorded must
  // still match the same pick, so the digest of a pick without the field may never change.
  const storedBefore = createHash('sha256').update('{"customer":"gita","items":[{"ingredient":"cheese","quantity":1},{"ingredient":"bread","quantity":2}]}').digest('hex');

  test('of a pick without requestFingerprint is what releases before the field stored', () => {
    expect(fingerprintOf(parsePickRequest(pick))).toBe(storedBefore);
    expect(sameRequest(storedBefore, parsePickRequest(pick))).toBe(true);
  });

  test('covers the requestFingerprint; a key recorded without one matches the same pick with any', () => {
    const withA = parsePickRequest({ ...pick, requestFingerprint: 'sha256:a' });
    expect(fingerprintOf(withA)).not.toBe(storedBefore);
    expect(sameRequest(fingerprintOf(withA), withA)).toBe(true);
    expect(sameRequest(fingerprintOf(withA), parsePickRequest({ ...pick, requestFingerprint: 'sha256:b' }))).toBe(false);
    expect(sameRequest(fingerprintOf(withA), parsePickRequest(pick))).toBe(false);
    expect(sameRequest(storedBefore, withA)).toBe(true);
    expect(sameRequest(storedBefore, parsePickRequest({ ...pick, items: [{ ingredient: 'cheese', quantity: 2 }], requestFingerprint: 'sha256:a' }))).toBe(false);
  });
});

describe('a keyed order (orderV2 over a store)', () => {
  let clock = 0;
  async function fresh(keyTtlMs = 1000) {
    const db = openDatabase(':memory:');
    await createMigrator(db).up();
    clock = 1_000_000;
    const store = createSqliteStore(db);
    const picking: Picking = { ...defaults, store, keyTtlMs, now: () => clock };
    const orders = () => db.prepare('SELECT count(*) FROM orders').pluck().get();
    return { db, picking, orders };
  }
  const pick = (customer: string, quantity = 1) => ({ customer, items: [{ ingredient: 'ham', quantity }] });

  test('the same key and request places the order once and replays its outcome', async () => {
    const { picking, orders } = await fresh();
    const first = await orderV2(picking, pick('gita'), 'k1');
    expect(first.kind).toBe('placed');
    expect(await orderV2(picking, pick('gita'), 'k1')).toEqual({ kind: 'replayed', outcome: first });
    expect(orders()).toBe(1);
  });

  test('a shortage is final, and replayed too', async () => {
    const { picking } = await fresh();
    const first = await orderV2(picking, pick('gita', 11), 'k1');
    expect(first).toEqual({ kind: 'short', shortage: new OutOfStock('ham', 11, 10) });
    expect(await orderV2(picking, pick('gita', 11), 'k1')).toEqual({ kind: 'replayed', outcome: first });
  });

  test('the same key with another request is refused (KeyReused, answered 422), and nothing is placed', async () => {
    const { picking, orders } = await fresh();
    await orderV2(picking, pick('gita'), 'k1');
    const refusal = await orderV2(picking, pick('gita', 2), 'k1');
    expect(refusal).toEqual({ kind: 'refused', reason: new KeyReused() });
    expect(answerTo((refusal as { reason: unknown }).reason)).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(orders()).toBe(1);
  });

  test('keys are scoped by customer: the same key for another customer is a new request', async () => {
    const { picking, orders } = await fresh();
    await orderV2(picking, pick('gita'), 'k1');
    expect((await orderV2(picking, pick('gwyn'), 'k1')).kind).toBe('placed');
    expect(orders()).toBe(2);
  });

  test('a key is forgotten once it expires, and the same key is then a new request', async () => {
    const { picking, orders } = await fresh(1000);
    await orderV2(picking, pick('gita'), 'k1');
    clock += 999;
    expect((await orderV2(picking, pick('gita'), 'k1')).kind).toBe('replayed');
    clock += 1;
    expect((await orderV2(picking, pick('gita', 2), 'k1')).kind).toBe('placed');
    expect(orders()).toBe(2);
  });

  test('a refusal records nothing: the key is still new afterwards', async () => {
    const { picking, db } = await fresh();
    const unknown = { customer: 'gita', items: [{ ingredient: 'caviar', quantity: 1 }] };
    expect(await orderV2(picking, unknown, 'k1')).toEqual({ kind: 'refused', reason: new UnknownIngredient('caviar') });
    expect(db.prepare('SELECT count(*) FROM idempotency_keys').pluck().get()).toBe(0);
    expect((await orderV2(picking, pick('gita'), 'k1')).kind).toBe('placed');
  });
});
