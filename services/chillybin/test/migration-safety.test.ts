import { join } from 'node:path';
import { LOG_MESSAGES } from '@toasties/contract';
import { freshDatabasePath, logLine, schemaOf, spawnProcess, stopAllProcesses } from '@toasties/testkit';
import { createMigrator, migrations, openDatabase } from '../src/app';
import { sqliteUseCases } from './use-cases';
import type { Db } from '../src/db';
import { sqliteOptions } from './settings';

const main = join(__dirname, '..', 'dist', 'main.js');
afterAll(stopAllProcesses);

/** Everything a migration could change: the schema, the record of migrations, the stock. */
async function snapshot(db: Db) {
  return {
    schema: schemaOf(db),
    executed: db.prepare('SELECT name FROM migrations ORDER BY name').pluck().all(),
    stock: await sqliteUseCases(db).levels(),
  };
}

describe('a migration that fails at start-up', () => {
  // A real way for 0002 to fail: a hand-made table in its way (say, from a hotfix). 0002
  // creates orders and order_items first, then fails on idempotency_keys: its transaction
  // must take the first two back with it.
  test('leaves the database exactly as it was, and the service exits 1 naming the migration and the cause', async () => {
    const path = freshDatabasePath('failing-migration');
    const db = openDatabase(path, sqliteOptions);
    await createMigrator(db).up({ to: '0001-ingredients' });
    await sqliteUseCases(db).pick('cheese', 3);
    db.exec('CREATE TABLE idempotency_keys (anything TEXT)');
    const before = await snapshot(db);
    db.close();

    const proc = spawnProcess(process.execPath, [main], { DATABASE_PATH: path, PORT: '0', WORKERS: '2' });
    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.output()).toMatch(/chillybin failed to start/);
    expect(proc.output()).toMatch(/Migration 0002-orders \(up\) failed.*table idempotency_keys already exists/);
    expect(proc.output()).not.toMatch(logLine(LOG_MESSAGES.listening));

    const after = openDatabase(path, sqliteOptions);
    expect(await snapshot(after)).toEqual(before);
    after.close();
  });
});

describe('every migration steps down and up again', () => {
  test.each(migrations.map((migration, index) => [migration.name, index] as const))('%s: up, down, up gives the same schema, and down gives the one before it', async (name, index) => {
    const db = openDatabase(':memory:', sqliteOptions);
    const migrator = createMigrator(db);
    if (index > 0) await migrator.up({ to: migrations[index - 1]!.name });
    const beforeIt = schemaOf(db);
    await migrator.up({ to: name });
    const withIt = schemaOf(db);
    expect(withIt).not.toEqual(beforeIt);

    await migrator.down();
    expect(schemaOf(db)).toEqual(beforeIt);
    await migrator.up({ to: name });
    expect(schemaOf(db)).toEqual(withIt);
    db.close();
  });
});
