import request from 'supertest';
import { createFlags } from '@toasties/flags';
import { createJsonApp, routeTable } from '@toasties/http';
import { schemaOf } from '@toasties/testkit';
import { createMigrator, migrations, openDatabase, createSqliteStore } from '../src/app';
import { sqliteUseCases } from './use-cases';
import { FLAGS } from '../src/flags';
import { migrate, upToDate } from '../src/migrations';
import { v1Routes } from '../src/routes/v1';
import { pickingSettings, sqliteOptions, sqliteStoreOptions } from './settings';

describe('migrations', () => {
  test('up runs every migration once; a second up does nothing', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    const migrator = createMigrator(db);
    expect((await migrator.up()).map((m) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(await migrator.up()).toEqual([]);
    expect(await migrator.pending()).toEqual([]);
  });

  test('every migration can go down and up again to the same schema', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    const migrator = createMigrator(db);
    await migrator.up();
    const migrated = schemaOf(db);
    await migrator.down({ to: 0 });
    expect(schemaOf(db)).toEqual([]);
    await migrator.up();
    expect(schemaOf(db)).toEqual(migrated);
  });

  test('0002-orders goes down with orders in it, leaving the stock as it was', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    const migrator = createMigrator(db);
    await migrator.up();
    await sqliteUseCases(db).place('gita', [{ ingredient: 'cheese', quantity: 2 }]);
    await migrator.down({ to: '0002-orders' });
    expect(schemaOf(db).map((row) => (row as { name: string }).name)).toEqual(['ingredients']);
    expect((await sqliteUseCases(db).levels()).cheese).toBe(8);
  });

  test('0003-order-public-ids goes down with orders in it, keeping them (only their public ids go)', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    const migrator = createMigrator(db);
    await migrator.up();
    await sqliteUseCases(db).place('gita', [{ ingredient: 'cheese', quantity: 2 }]);
    await migrator.down({ to: '0003-order-public-ids' });
    expect(db.prepare('SELECT * FROM orders').all()).toEqual([{ id: 1, customer: 'gita', created_at: expect.any(String) }]);
    expect(db.prepare('SELECT order_id, ingredient, quantity FROM order_items').all()).toEqual([{ order_id: 1, ingredient: 'cheese', quantity: 2 }]);
  });
});

describe('migrate (what every start and every worker runs)', () => {
  // Starts check with a SELECT and build an umzug only when something is pending: a worker of
  // a new release must still find and apply its new migrations (docs/performance.md).
  test('on a database behind this release, applies what is pending, keeping the data', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    await createMigrator(db).up({ to: '0002-orders' });
    await sqliteUseCases(db).pick('cheese', 3);
    expect(upToDate(db)).toBe(false);
    await migrate(db);
    expect(upToDate(db)).toBe(true);
    expect(await createMigrator(db).pending()).toEqual([]);
    expect((await sqliteUseCases(db).levels()).cheese).toBe(7);
  });

  test('on a new database (no migrations table yet), builds the whole schema', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    expect(upToDate(db)).toBe(false);
    await migrate(db);
    expect((await createMigrator(db).executed()).map((m) => m.name)).toEqual(migrations.map((m) => m.name));
  });

  test('up to date, or ahead (a newer release ran one this one does not know), there is nothing to run, as for umzug', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    await createMigrator(db).up();
    expect(upToDate(db)).toBe(true);
    db.prepare("INSERT INTO migrations (name, executed_at) VALUES ('9999-from-the-future', datetime('now'))").run();
    expect(upToDate(db)).toBe(true);
    expect(await createMigrator(db).pending()).toEqual([]);
  });
});

describe('0002-orders is backward compatible', () => {
  // The same v1 conversation against the schema before and after 0002: a v1 release still
  // running during a rolling deploy (or after a rollback of the code) sees no difference.
  async function v1Conversation(upTo: string) {
    const db = openDatabase(':memory:', sqliteOptions);
    await createMigrator(db).up({ to: upTo });
    const uncounted = { pick: () => undefined };
    const app = createJsonApp((app) => app.use(routeTable(v1Routes({ picking: { ...pickingSettings, store: createSqliteStore(db, sqliteStoreOptions) }, flags: createFlags(FLAGS), metrics: uncounted }))));
    const answers = [];
    for (const [verb, path] of [
      ['post', '/pick?name=cheese&quantity=3'],
      ['get', '/pick?name=ham&quantity=10'],
      ['post', '/pick?name=ham&quantity=1'],
      ['post', '/pick?name=caviar&quantity=1'],
      ['post', '/restock'],
      ['get', '/'],
    ] as const) {
      const res = await request(app)[verb](path);
      answers.push([res.status, res.text]);
    }
    return answers;
  }

  test('the v1 API answers exactly the same on the schema of 0001, of 0002 and of every later one', async () => {
    const before = await v1Conversation('0001-ingredients');
    expect(before.map(([status]) => status)).toEqual([200, 200, 410, 410, 200, 200]);
    expect(await v1Conversation('0002-orders')).toEqual(before);
    expect(await v1Conversation(migrations.at(-1)!.name)).toEqual(before);
  });
});
