import { createIdempotency, createMigrator, openDatabase } from '../src/app';
import { answerTo } from '../src/answers';
import { InvalidIdempotencyKey, KeyReused } from '../src/domain-errors';
import { fingerprintOf, parseIdempotencyKey, type Answer } from '../src/idempotency';

/** What the function threw, for asserting on it and on how the edge answers it. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

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
    const refusal = thrownBy(() => parseIdempotencyKey(header));
    expect(refusal).toBeInstanceOf(InvalidIdempotencyKey);
    expect(answerTo(refusal)).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
  });
});

describe('once()', () => {
  let clock = 0;
  async function fresh(ttlMs = 1000) {
    const db = openDatabase(':memory:');
    await createMigrator(db).up();
    clock = 1_000_000;
    return createIdempotency(db, { ttlMs, now: () => clock });
  }
  const counting = () => {
    const calls = { count: 0 };
    const work = async (): Promise<Answer> => ({ status: 201, body: { n: ++calls.count } });
    return { calls, work };
  };
  const keyed = (customer: string, key: string, request: unknown) => ({ customer, key, fingerprint: fingerprintOf(request) });

  test('the same key and request runs the work once and replays its answer', async () => {
    const idempotency = await fresh();
    const { calls, work } = counting();
    expect(await idempotency.once(keyed('gita', 'k1', { a: 1 }), work)).toEqual({ answer: { status: 201, body: { n: 1 } }, replayed: false });
    expect(await idempotency.once(keyed('gita', 'k1', { a: 1 }), work)).toEqual({ answer: { status: 201, body: { n: 1 } }, replayed: true });
    expect(calls.count).toBe(1);
  });

  test('the same key with another request is refused (KeyReused, answered 422), and the work does not run', async () => {
    const idempotency = await fresh();
    const { calls, work } = counting();
    await idempotency.once(keyed('gita', 'k1', { a: 1 }), work);
    const refusal = await idempotency.once(keyed('gita', 'k1', { a: 2 }), work).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(KeyReused);
    expect(answerTo(refusal)).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(calls.count).toBe(1);
  });

  test('keys are scoped by customer: the same key for another customer is a new request', async () => {
    const idempotency = await fresh();
    const { calls, work } = counting();
    await idempotency.once(keyed('gita', 'k1', { a: 1 }), work);
    expect((await idempotency.once(keyed('gwyn', 'k1', { a: 1 }), work)).replayed).toBe(false);
    expect(calls.count).toBe(2);
  });

  test('a key is forgotten once it expires, and the same key is then a new request', async () => {
    const idempotency = await fresh(1000);
    const { calls, work } = counting();
    await idempotency.once(keyed('gita', 'k1', { a: 1 }), work);
    clock += 999;
    expect((await idempotency.once(keyed('gita', 'k1', { a: 1 }), work)).replayed).toBe(true);
    clock += 1;
    expect(await idempotency.once(keyed('gita', 'k1', { a: 2 }), work)).toEqual({ answer: { status: 201, body: { n: 2 } }, replayed: false });
    expect(calls.count).toBe(2);
  });

  test('work that throws stores nothing: a retry with the key runs again', async () => {
    const idempotency = await fresh();
    await expect(idempotency.once(keyed('gita', 'k1', { a: 1 }), async () => { throw new Error('disk on fire'); })).rejects.toThrow('disk on fire');
    const { calls, work } = counting();
    expect((await idempotency.once(keyed('gita', 'k1', { a: 1 }), work)).replayed).toBe(false);
    expect(calls.count).toBe(1);
  });
});
