import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { freshDatabasePath, startService, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { createMigrator, openDatabase } from '../src/app';
import { fingerprintOf } from '../src/idempotency';
import { newOrderId } from '../src/order-id';
import { ORDER_ID } from '../src/pick';
import { parsePickRequest } from '../src/pick-request';
import { buildChillybin } from './build';
import { sqliteOptions } from './settings';

// An order's public id is a UUID v7 (older orders' a v4), random past its time: counting 1, 2, 3… finds nothing, and a retry gets
// the same id back. Migration 0003 adds it beside the row id without breaking the release
// before it (expand/contract: docs/idempotency.md, "Order ids").
const main = join(__dirname, '..', 'dist', 'main.js');
const toastie = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] };
const paths: string[] = [];
const fresh = (prefix: string) => {
  const path = freshDatabasePath(prefix);
  paths.push(path);
  return path;
};

afterAll(async () => {
  await stopAllProcesses();
  for (const path of paths) rmSync(dirname(path), { recursive: true, force: true });
});

const pick = (service: RunningService, key?: string) =>
  fetch(`${service.url}/v2/pick`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': `"${key}"` } : {}) }, body: JSON.stringify(toastie) });

describe('order ids over HTTP (a real chillybin)', () => {
  let chillybin: RunningService;
  beforeAll(async () => {
    chillybin = await startService(main, { DATABASE_PATH: fresh('order-ids') });
  });

  test('are random UUIDs, not a count: each order its own, and no row id (1, 2, 3…) names an order', async () => {
    const placed: { order: { id: string; customer: string } }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await pick(chillybin);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { order: { id: string; customer: string } };
      expect(res.headers.get('location')).toBe(`/v2/orders/${body.order.id}`);
      placed.push(body);
    }
    const ids = placed.map((body) => body.order.id);
    for (const id of ids) expect(id).toMatch(ORDER_ID);
    expect(new Set(ids).size).toBe(3);
    // New orders' ids are UUID v7: their time prefix never goes back.
    for (const id of ids) expect(id[14]).toBe('7');
    const times = ids.map((id) => id.replace(/-/g, '').slice(0, 12));
    expect([...times].sort()).toEqual(times);

    for (const body of placed) expect(await (await fetch(`${chillybin.url}/v2/orders/${body.order.id}`)).json()).toEqual(body);
    for (const rowId of ['1', '2', '3']) {
      const res = await fetch(`${chillybin.url}/v2/orders/${rowId}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'order_not_found' });
    }
  });

  test('a replay under the same Idempotency-Key answers the same public id', async () => {
    const first = await pick(chillybin, 'same-toastie');
    const again = await pick(chillybin, 'same-toastie');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = (await Promise.all([first.json(), again.json()])) as { order: { id: string } }[];
    expect(b!.order.id).toBe(a!.order.id);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
  });
});

describe('newOrderId: a UUID v7 (RFC 9562)', () => {
  test('the time in its first 48 bits, version 7, variant 10, and 74 bits that differ from id to id', () => {
    const at = Date.parse('2026-12-06T12:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newOrderId(at));
    for (const id of ids) expect(id).toMatch(ORDER_ID);
    expect(new Set(ids.map((id) => id.slice(0, 13)))).toEqual(new Set([`${at.toString(16).padStart(12, '0').slice(0, 8)}-${at.toString(16).padStart(12, '0').slice(8)}`]));
    expect(new Set(ids.map((id) => id[14]))).toEqual(new Set(['7']));
    expect(new Set(ids.map((id) => id[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
    // Every random bit takes both values over 1000 ids (74 of them: 128 − 48 time − 4 version − 2 variant).
    const bits = (id: string) => BigInt(`0x${id.replace(/-/g, '')}`);
    const random = (1n << 80n) - 1n - (0xfn << 76n) - (0x3n << 62n);
    const ones = ids.reduce((all, id) => all | (bits(id) & random), 0n);
    const zeros = ids.reduce((all, id) => all | (~bits(id) & random), 0n);
    expect([ones, zeros]).toEqual([random, random]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('0003-order-public-ids, expand only', () => {
  // What the release before 0003 does, statement for statement (src/orders.ts and
  // src/idempotency.ts as they were): it must keep working on the new schema during a
  // rolling deploy, and what it writes must make sense to the new release.
  function asTheReleaseBefore(db: ReturnType<typeof openDatabase>) {
    return {
      place(customer: string): number {
        const id = Number(db.prepare('INSERT INTO orders (customer, created_at) VALUES (?, ?)').run(customer, new Date().toISOString()).lastInsertRowid);
        db.prepare('UPDATE ingredients SET quantity = quantity - 1 WHERE name = ? AND quantity >= 1').run('cheese');
        db.prepare('INSERT INTO order_items (order_id, ingredient, quantity) VALUES (?, ?, ?)').run(id, 'cheese', 1);
        return id;
      },
      get: (id: number) => db.prepare('SELECT id, customer, created_at AS createdAt FROM orders WHERE id = ?').get(id) as { id: number; customer: string } | undefined,
      remember(key: string, orderId: number) {
        const body = JSON.stringify({ order: { id: orderId, customer: 'gita', items: toastie.items, createdAt: '2026-11-22T10:00:00.000Z' } });
        db.prepare('INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) VALUES (?, ?, ?, 201, ?, ?)')
          .run('gita', key, fingerprintOf(parsePickRequest(toastie)), body, Date.now() + 60_000);
      },
    };
  }

  test('orders placed before it get a public id; a key stored before it replays with that id', async () => {
    const path = fresh('expand');
    const before = openDatabase(path, sqliteOptions);
    await createMigrator(before).up({ to: '0002-orders' });
    const old = asTheReleaseBefore(before);
    const rowId = old.place('gita');
    old.remember('before-0003', rowId);
    before.close();

    const { app, db } = await buildChillybin({ path }); // migrates to the end
    const publicId = db.prepare('SELECT public_id FROM orders WHERE id = ?').pluck().get(rowId) as string;
    expect(publicId).toMatch(ORDER_ID);
    const replay = await request(app).post('/v2/pick').set('Idempotency-Key', '"before-0003"').send(toastie);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.order.id).toBe(publicId);
    expect(replay.headers.location).toBe(`/v2/orders/${publicId}`);
    expect((await request(app).get(`/v2/orders/${publicId}`)).body.order).toMatchObject({ id: publicId, customer: 'gita' });
    db.close();
  });

  test('the release before it still places and reads orders on the new schema, and theirs get a public id too', async () => {
    const { app, db } = await buildChillybin({ path: fresh('rollout') });
    const old = asTheReleaseBefore(db);
    const rowId = old.place('gwyn');
    expect(old.get(rowId)).toMatchObject({ id: rowId, customer: 'gwyn' });

    const publicId = db.prepare('SELECT public_id FROM orders WHERE id = ?').pluck().get(rowId) as string;
    expect(publicId).toMatch(ORDER_ID); // given by the trigger, in SQLite, at insert time
    const res = await request(app).get(`/v2/orders/${publicId}`);
    expect(res.status).toBe(200);
    expect(res.body.order).toMatchObject({ id: publicId, customer: 'gwyn', items: [{ ingredient: 'cheese', quantity: 1 }] });
    db.close();
  });
});
