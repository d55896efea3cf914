import { describeWithPostgres, waitFor } from '@toasties/testkit';
import { askOnFreshConnection, createPool, createPostgresStore, createSideConnection, orderV2, type Store } from '../src/app';
import { postgresServer } from './build';
import { pickingSettings } from './settings';

/**
 * A COMMIT whose answer is lost. The order's transaction has done its work; just before its
 * COMMIT, the test stops (SIGSTOP) the PostgreSQL backend serving it, so the COMMIT waits on
 * the server past the client's timeout, and runs once the backend is let go (SIGCONT). The
 * store must then ask the database, and answer only what it learns: placed when the commit is
 * seen to have happened, unknown when it cannot learn it; never "nothing was changed".
 */
const TIMEOUTS = { statementTimeoutMs: 300, connectTimeoutMs: 300 }; // query_timeout: 600 ms

describeWithPostgres('a COMMIT whose answer is lost (PostgreSQL)', () => {
  async function scenario(ask: (url: string, resume: () => void) => <R extends object>(sql: string, values: unknown[]) => Promise<R[]>, commitCheckMs: number) {
    const { postgres, template } = await postgresServer();
    const url = await postgres.createDatabase(undefined, template);
    const database = url.split('/').pop();
    let stopped: number | undefined;
    const resume = () => {
      if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
      stopped = undefined;
    };
    const store: Store = createPostgresStore(createPool(url, { poolSize: 1, ...TIMEOUTS }), createSideConnection(url, TIMEOUTS), { ask: ask(url, resume), commitCheckMs, lockWaitMs: 0 });
    // The store's one connection, stopped when the order's work is done: the next thing it is sent is COMMIT.
    const stopBeforeCommit: Store = {
      ...store,
      transaction: (work, options) =>
        store.transaction(async (t) => {
          const result = await work(t);
          const [backend] = await postgres.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'chillybin' AND state = 'idle in transaction'", [], database);
          stopped = backend!.pid;
          process.kill(stopped, 'SIGSTOP');
          return result;
        }, options),
    };
    const orders = async () => (await postgres.query<{ customer: string }>('SELECT customer FROM orders', [], database)).map((row) => row.customer);
    return { store, stopBeforeCommit, resume, orders };
  }

  test('asked afterwards, the database says it committed: the order is answered placed', async () => {
    // The backend is let go when the store first asks; the store asks until it learns.
    const { store, stopBeforeCommit, resume, orders } = await scenario((url, resume) => (sql, values) => (resume(), askOnFreshConnection(url, TIMEOUTS, sql, values)), 30_000);
    try {
      const outcome = await orderV2({ ...pickingSettings, store: stopBeforeCommit }, { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }, undefined);
      expect(outcome.kind).toBe('placed');
      expect(await orders()).toEqual(['gita']);
    } finally {
      resume();
      await store.close();
    }
  });

  test('when the database cannot be asked, the order is answered unknown, and it did happen', async () => {
    const { store, stopBeforeCommit, resume, orders } = await scenario(() => async () => Promise.reject(new Error('connect ECONNREFUSED')), 200);
    try {
      const outcome = await orderV2({ ...pickingSettings, store: stopBeforeCommit }, { customer: 'gwyn', items: [{ ingredient: 'cheese', quantity: 1 }] }, undefined);
      expect(outcome.kind).toBe('unknown');
      resume();
      // Let go, the server runs the COMMIT it was sent: "nothing was changed" would have been a lie.
      await waitFor(async () => (await orders()).includes('gwyn'), { timeoutMs: 30_000, what: 'the order to be committed' });
    } finally {
      resume();
      await store.close();
    }
  });
});
