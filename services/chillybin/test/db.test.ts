import { freshDatabasePath } from '@toasties/testkit';
import { createMigrator, createSqliteStore, openDatabase, type Tables } from '../src/app';
import { useCases } from './use-cases';
import { sqliteOptions, sqliteStoreOptions } from './settings';

describe('openDatabase', () => {
  test.each([
    ['journal_mode', 'wal'],
    ['busy_timeout', 5000],
    ['foreign_keys', 1],
    ['synchronous', 1], // NORMAL
  ])('sets %s to %p on a file', (pragma, value) => {
    expect(openDatabase(freshDatabasePath(), sqliteOptions).pragma(pragma, { simple: true })).toBe(value);
  });

  test('synchronous=FULL when asked (2 is FULL)', () => {
    expect(openDatabase(freshDatabasePath(), { synchronous: 'FULL' }).pragma('synchronous', { simple: true })).toBe(2);
  });

  test('creates the directory a new database file goes in', () => {
    const path = freshDatabasePath().replace(/test\.db$/, 'nested/deeper/stock.db');
    expect(() => openDatabase(path, sqliteOptions).prepare('SELECT 1').get()).not.toThrow();
  });
});

describe('the SQLite store: one connection, one transaction at a time (its line)', () => {
  async function fresh() {
    const db = openDatabase(':memory:', sqliteOptions);
    await createMigrator(db).up();
    const store = createSqliteStore(db, sqliteStoreOptions);
    const stock = useCases(store);
    await stock.restock({ cheese: 10 });
    return { db, store, stock };
  }

  test('a statement asked for while a transaction waits on its body runs after it, not inside it', async () => {
    const { db, store, stock } = await fresh();
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const undone = store.transaction(async (t) => {
      await t.stock.take([{ ingredient: 'cheese', quantity: 1 }]);
      await held;
      throw new Error('rolled back');
    });
    const alone = stock.pick('cheese', 2); // another request's pick, while the transaction is open
    letGo();
    await expect(undone).rejects.toThrow('rolled back');
    await alone;
    // Inside the transaction, the lone pick would have been rolled back with it (10).
    expect((await stock.levels()).cheese).toBe(8);
    expect(db.inTransaction).toBe(false);
  });

  test('work waiting in line runs in the order it was asked for, and the line is free after a failure', async () => {
    const { store, stock } = await fresh();
    const done: string[] = [];
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const first = store.transaction(async () => {
      await held;
      done.push('transaction');
    });
    // Each says when it runs (inside its work), not when its promise settles.
    const take = (quantity: number) => async (t: Tables) => done.push((await t.stock.take([{ ingredient: 'cheese', quantity }])) ? 'short' : `took ${quantity}`);
    const waiting = [
      store.transaction(async () => {
        done.push('failed');
        throw new Error('a failure in line');
      }).catch(() => undefined),
      store.transaction(take(11)),
      store.transaction(take(3)),
      store.read(async (t) => done.push(`levels ${(await t.stock.levels()).cheese}`)),
    ];
    expect(done).toEqual([]);
    letGo();
    await Promise.all([first, ...waiting]);
    expect(done).toEqual(['transaction', 'failed', 'short', 'took 3', 'levels 7']);
    expect((await stock.levels()).cheese).toBe(7);
  });
});
