import { freshDatabasePath } from '@toasties/testkit';
import { createMigrator, createStock, openDatabase } from '../src/app';
import { sqliteTransaction } from '../src/db';

describe('openDatabase', () => {
  test.each([
    ['journal_mode', 'wal'],
    ['busy_timeout', 5000],
    ['foreign_keys', 1],
    ['synchronous', 1], // NORMAL
  ])('sets %s to %p on a file', (pragma, value) => {
    expect(openDatabase(freshDatabasePath()).pragma(pragma, { simple: true })).toBe(value);
  });

  test('synchronous=FULL when asked (2 is FULL)', () => {
    expect(openDatabase(freshDatabasePath(), { synchronous: 'FULL' }).pragma('synchronous', { simple: true })).toBe(2);
  });

  test('creates the directory a new database file goes in', () => {
    const path = freshDatabasePath().replace(/test\.db$/, 'nested/deeper/stock.db');
    expect(() => openDatabase(path).prepare('SELECT 1').get()).not.toThrow();
  });
});

describe('one connection, one transaction at a time (serially)', () => {
  async function fresh() {
    const db = openDatabase(':memory:');
    await createMigrator(db).up();
    const stock = createStock(db);
    await stock.restock({ cheese: 10 });
    return { db, stock };
  }

  test('a statement asked for while a transaction waits on its body runs after it, not inside it', async () => {
    const { db, stock } = await fresh();
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const undone = sqliteTransaction(db, async (tx) => {
      await stock.pick('cheese', 1, tx);
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
    const { db, stock } = await fresh();
    const done: string[] = [];
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const first = sqliteTransaction(db, async () => {
      await held;
      done.push('transaction');
    });
    const waiting = [
      stock.pick('cheese', 11).catch(() => done.push('short')),
      stock.pick('cheese', 3).then(() => done.push('picked')),
      stock.levels().then((levels) => done.push(`levels ${levels.cheese}`)),
    ];
    expect(done).toEqual([]);
    letGo();
    await Promise.all([first, ...waiting]);
    expect(done).toEqual(['transaction', 'short', 'picked', 'levels 7']);
    expect((await stock.levels()).cheese).toBe(7);
  });
});
