import Database from 'better-sqlite3';
import request from 'supertest';
import { isErrorCode, statusOf } from '@toasties/contract';
import { createFlags, parseRule } from '@toasties/flags';
import { buildChillybin } from './build';
import { FLAGS } from '../src/flags';

/**
 * Every error chillybin answers, to the byte: the answers are made in one place (domain errors,
 * one catalogue at the edge), and a change there must not reach a client unnoticed.
 */
// Every JSON answer ends with a newline (so a curl prompt starts on its own line).
const json = (body: object) => `${JSON.stringify(body)}\n`;
const pick = (items: object[], customer = 'gita') => ({ customer, items });

/** The code is in the catalogue, answered with its status; v1 /pick's 410s predate the catalogue. */
function expectCatalogued(res: request.Response): void {
  const { error } = JSON.parse(res.text) as { error: unknown };
  expect(isErrorCode(error)).toBe(true);
  const v1Refusal = res.status === 410 && (error === 'out_of_stock' || error === 'unknown_ingredient');
  if (!v1Refusal) expect(res.status).toBe(statusOf(error as never));
}

describe('chillybin error answers are byte-identical', () => {
  let chillybin: Awaited<ReturnType<typeof buildChillybin>>;
  beforeAll(async () => {
    chillybin = await buildChillybin();
  });
  afterAll(() => chillybin.db.close());

  test.each<[string, () => request.Test, number, string]>([
    ['v1: not enough', () => request(chillybin.app).get('/pick?name=cheese&quantity=11'), 410, json({ error: 'out_of_stock', message: 'not enough cheese for 11' })],
    ['v1: an unknown ingredient', () => request(chillybin.app).post('/pick?name=caviar&quantity=1'), 410, json({ error: 'unknown_ingredient', message: 'the chillybin has no caviar' })],
    ['v1: no name', () => request(chillybin.app).get('/pick?quantity=1'), 400, json({ error: 'missing_name', message: 'the query parameter "name" is required' })],
    ['v1: no quantity', () => request(chillybin.app).get('/pick?name=cheese'), 400, json({ error: 'missing_quantity', message: 'the query parameter "quantity" is required' })],
    ['v1: a bad name', () => request(chillybin.app).get('/pick?name=CHEESE&quantity=1'), 400, json({ error: 'invalid_name', message: 'an ingredient name is 1-32 lower-case letters or hyphens, starting with a letter' })],
    ['v1: a name twice', () => request(chillybin.app).get('/pick?name=ham&name=ham&quantity=1'), 400, json({ error: 'invalid_name', message: 'give "name" exactly once' })],
    ['v1: a bad quantity', () => request(chillybin.app).get('/pick?name=cheese&quantity=0'), 400, json({ error: 'invalid_quantity', message: 'quantity must be a whole number from 1 to 1000' })],
    ['restock: bad amounts', () => request(chillybin.app).post('/restock').send({ cheese: -1 }), 400, json({ error: 'invalid_restock', message: 'the body must be an object of at most 100 ingredient names to whole numbers from 0 to 1000000, e.g. {"cheese": 10}' })],
    ['v2: not enough', () => request(chillybin.app).post('/v2/pick').send(pick([{ ingredient: 'cheese', quantity: 11 }])), 409, json({ error: 'out_of_stock', message: 'not enough cheese: 11 wanted, 10 left', ingredient: 'cheese' })],
    ['v2: an unknown ingredient', () => request(chillybin.app).post('/v2/pick').send(pick([{ ingredient: 'caviar', quantity: 1 }])), 400, json({ error: 'unknown_ingredient', message: 'the chillybin has no caviar', ingredient: 'caviar' })],
    ['v2: a bad customer', () => request(chillybin.app).post('/v2/pick').send(pick([{ ingredient: 'ham', quantity: 1 }], ' gita')), 400, json({ error: 'invalid_pick', message: 'customer: customer must be 1-64 letters, digits, dots, underscores, @ or hyphens' })],
    ['v2: a bad ingredient', () => request(chillybin.app).post('/v2/pick').send(pick([{ ingredient: 'Ham', quantity: 1 }])), 400, json({ error: 'invalid_pick', message: 'items.0.ingredient: ingredient must be 1-32 lower-case letters or hyphens' })],
    ['v2: an unknown field', () => request(chillybin.app).post('/v2/pick').send({ ...pick([{ ingredient: 'ham', quantity: 1 }]), rush: true }), 400, json({ error: 'invalid_pick', message: 'unknown field "rush"' })],
    ['v2: a bad key', () => request(chillybin.app).post('/v2/pick').set('Idempotency-Key', '"a b').send(pick([{ ingredient: 'ham', quantity: 1 }])), 400, json({ error: 'invalid_idempotency_key', message: 'Idempotency-Key must be 1-255 visible ASCII characters, quoted ("...") or bare' })],
    ['v2: no such order', () => request(chillybin.app).get('/v2/orders/3f0c1b2a-9d8e-4c7b-a6f5-e4d3c2b1a098'), 404, json({ error: 'order_not_found', message: 'there is no order "3f0c1b2a-9d8e-4c7b-a6f5-e4d3c2b1a098"' })],
  ])('%s', async (_case, send, status, body) => {
    const res = await send();
    expect([res.status, res.text]).toEqual([status, body]);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expectCatalogued(res);
  });

  test('a keyed 409 is replayed to the byte, and the key with another body is 422', async () => {
    const short = pick([{ ingredient: 'cheese', quantity: 11 }]);
    const first = await request(chillybin.app).post('/v2/pick').set('Idempotency-Key', 'k-409').send(short);
    const again = await request(chillybin.app).post('/v2/pick').set('Idempotency-Key', 'k-409').send(short);
    expect([again.status, again.text, again.headers['idempotent-replayed']]).toEqual([409, first.text, 'true']);
    expect(first.text).toBe(json({ error: 'out_of_stock', message: 'not enough cheese: 11 wanted, 10 left', ingredient: 'cheese' }));
    const other = await request(chillybin.app).post('/v2/pick').set('Idempotency-Key', 'k-409').send(pick([{ ingredient: 'ham', quantity: 1 }]));
    expectCatalogued(other);
    expect([other.status, other.text]).toEqual([422, json({ error: 'idempotency_key_reused', message: 'this Idempotency-Key was already used with a different request; use a new key' })]);
  });

  test('v1 switched off: 410 gone, to the byte', async () => {
    const off = await buildChillybin({ flags: createFlags(FLAGS, { overrides: { 'pick.v1': parseRule('off')! } }) });
    const res = await request(off.app).post('/pick?name=ham&quantity=1');
    expectCatalogued(res);
    expect([res.status, res.text]).toEqual([410, json({ error: 'gone', message: 'v1 /pick has been removed; use POST /v2/pick (see the Link header)' })]);
    off.db.close();
  });

  test('a database locked by another process: 503 database_busy with Retry-After, to the byte', async () => {
    const other = new Database(chillybin.path);
    chillybin.db.pragma('busy_timeout = 20'); // as the service's own connections wait (writes.ts)
    try {
      other.exec('BEGIN IMMEDIATE');
      const res = await request(chillybin.app).post('/pick?name=ham&quantity=1');
      expectCatalogued(res);
      expect([res.status, res.text, res.headers['retry-after']]).toEqual([503, json({ error: 'database_busy', message: 'the database is locked by another process; nothing was changed, try again' }), '1']);
    } finally {
      other.close();
    }
  });
});
