import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabasePath } from '@toasties/testkit';
import { createMigrator, openDatabase } from '../src/app';
import { sqliteUseCases } from './use-cases';
import { sqliteOptions } from './settings';

const cli = join(__dirname, '..', 'dist', 'backup-cli.js');

async function migratedDatabase() {
  const path = freshDatabasePath('backup');
  const db = openDatabase(path, sqliteOptions);
  await createMigrator(db).up();
  return { path, db, stock: sqliteUseCases(db) };
}

describe('backup and restore (the CLI behind npm run db)', () => {
  test('a backup taken while the database is open restores, and restore first says what it discards', async () => {
    const { path, db, stock } = await migratedDatabase();
    await stock.pick('cheese', 3);
    const backup = freshDatabasePath('backup-copy');
    const env = { ...process.env, DATABASE_PATH: path };
    expect(execFileSync(process.execPath, [cli, 'backup', backup], { env, encoding: 'utf8' })).toMatch(/backed up/);

    await stock.pick('cheese', 2);
    await stock.restock({ truffle: 1 });

    const dryRun = spawnSync(process.execPath, [cli, 'restore', backup], { env, encoding: 'utf8' });
    expect(dryRun.status).toBe(0); // declining is not an error (test/data-commands.test.ts)
    expect(dryRun.stdout).toMatch(/stock of cheese: 5 now, 7 after the restore/);
    expect(dryRun.stdout).toMatch(/stock of truffle: 1 now, none after the restore/);
    expect(dryRun.stdout).toMatch(/table ingredients: 8 rows now, 7 after the restore \(1 lost\)/);
    expect((await stock.levels()).cheese).toBe(5); // nothing changed without --yes

    const restore = spawnSync(process.execPath, [cli, 'restore', backup, '--yes'], { env, encoding: 'utf8' });
    expect(restore.status).toBe(0);
    expect(await stock.levels()).toMatchObject({ cheese: 7 });
    expect((await stock.levels()).truffle).toBeUndefined();
    db.close();
  });

  test('a wrong command prints the usage and exits 2', () => {
    const result = spawnSync(process.execPath, [cli, 'copy'], { env: { ...process.env, DATABASE_PATH: ':memory:' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/usage: db backup <file>/);
  });

  // A file copy of a server means nothing: on PostgreSQL the CLI says what to use, and does nothing.
  test.each(['backup', 'restore'])('with DATABASE_URL set, %s points to pg_dump and the operator\'s backups, exits 2 and touches nothing', (command) => {
    const file = freshDatabasePath('pg-backup');
    const env = { ...process.env, DATABASE_URL: 'postgres://chillybin:secret@127.0.0.1:1/chillybin' };
    const result = spawnSync(process.execPath, [cli, command, file, '--yes'], { env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/chillybin is on PostgreSQL.*Nothing was done/);
    expect(result.stderr).toMatch(/pg_dump/);
    expect(result.stderr).toMatch(/CloudNativePG/);
    expect(existsSync(file)).toBe(false);
  });
});
