import request from 'supertest';
import type { Db } from '../src/db';
import { sweepStep, defaults as sweeper } from '../src/key-sweeper';
import { describeBackends, postgresServer } from './build';

/**
 * Expired idempotency keys are swept outside the request, in bounded steps, by the same rule
 * on both backends. The mechanism, not the clock: with a day's backlog of expired keys, a
 * keyed order deletes none but its own, and the sweep gets through them a bounded step at a
 * time.
 */
const BACKLOG = 500_000;

describeBackends('expired idempotency keys', (build, backend) => {
  test(`with ${BACKLOG} expired keys, a keyed order deletes none of them, and the sweep removes them ${sweeper.batch} at a time`, async () => {
    const built = await build();
    // The database behind the app, for arranging and counting: a SQLite connection or a PostgreSQL pool.
    // (On PostgreSQL as the server's superuser, beyond the app pool's statement timeout.)
    const { db, url } = built as unknown as { db?: Db; url?: string };
    const sql = async (text: string): Promise<number> => {
      const row = db ? (db.prepare(text).reader ? db.prepare(text).get() : (db.prepare(text).run(), undefined)) : (await (await postgresServer()).postgres.query(text, [], url!.split('/').pop()))[0];
      return Number(Object.values((row ?? {}) as Record<string, unknown>)[0] ?? 0);
    };
    const keys = () => sql('SELECT count(*) AS n FROM idempotency_keys');
    await sql(
      backend === 'sqlite'
        ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BACKLOG})
           INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) SELECT 'old', 'k' || i, 'f', 201, '{}', i FROM n`
        : `INSERT INTO idempotency_keys (customer, idempotency_key, fingerprint, status, body, expires_at) SELECT 'old', 'k' || i, 'f', 201, '{}', i FROM generate_series(1, ${BACKLOG}) AS i`,
    );
    expect(await keys()).toBe(BACKLOG);

    const res = await request(built.app).post('/v2/pick').set('Idempotency-Key', 'fresh').send({ customer: 'gita', items: [{ ingredient: 'ham', quantity: 1 }] });
    expect(res.status).toBe(201);
    expect(await keys()).toBe(BACKLOG + 1); // its own key added, none of the backlog taken in its transaction

    const steps: number[] = [];
    for (let removed = -1; removed !== 0; ) steps.push((removed = await sweepStep(built.store)));
    expect(Math.max(...steps)).toBe(sweeper.batch);
    expect(steps.reduce((sum, n) => sum + n, 0)).toBe(BACKLOG);
    expect(await keys()).toBe(1); // the fresh key stays until it expires
  }, 300_000);
});
