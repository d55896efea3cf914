import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { freshDatabasePath } from '@toasties/testkit';
import { createMigrator, openDatabase } from '../src/app';
import { sqliteUseCases } from './use-cases';
import { sqliteOptions } from './settings';

// The database commands an operator types (npm run migrate / npm run db), run as the real
// CLIs on real files. The rule: a command that would discard data says what it would
// discard and changes nothing unless given --yes; declining is not an error (exit 0).
const dist = join(__dirname, '..', 'dist');
const workspace = join(__dirname, '..');

function run(cli: 'migrate-cli' | 'backup-cli', args: string[], databasePath: string) {
  const result = spawnSync(process.execPath, [join(dist, `${cli}.js`), ...args], { env: { ...process.env, DATABASE_PATH: databasePath }, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** A migrated database with three orders (each order: 1 item), like a stall after a few toasties. */
async function databaseWithOrders() {
  const path = freshDatabasePath('commands');
  const db = openDatabase(path, sqliteOptions);
  await createMigrator(db).up();
  const orders = sqliteUseCases(db);
  for (const customer of ['gita', 'gwyn', 'gita']) await orders.place(customer, [{ ingredient: 'cheese', quantity: 1 }]);
  db.close();
  return path;
}

function tableNames(path: string): string[] {
  const db = openDatabase(path, sqliteOptions);
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}

function columnsOf(path: string, table: string): string[] {
  const db = openDatabase(path, sqliteOptions);
  try {
    return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name);
  } finally {
    db.close();
  }
}

describe('migrate down discards data, so it asks first', () => {
  test('without --yes: it names the migration and what it would discard, changes nothing, and exits 0', async () => {
    const path = await databaseWithOrders();
    run('migrate-cli', ['down', '--yes'], path); // 0004-write-probe: an empty table
    const declined = run('migrate-cli', ['down'], path); // 0003: the orders' public ids

    expect(declined.status).toBe(0);
    expect(declined.out).toMatch(/migrate down would undo 0003-order-public-ids/);
    expect(declined.out).toMatch(/column orders\.public_id: 3 values/);
    expect(declined.out).toMatch(/nothing was changed; run again with --yes/);
    expect(columnsOf(path, 'orders')).toContain('public_id');
  });

  test('a down that drops tables says how many rows each holds; with --yes it drops them', async () => {
    const path = await databaseWithOrders();
    for (let i = 0; i < 2; i++) run('migrate-cli', ['down', '--yes'], path);
    const declined = run('migrate-cli', ['down'], path); // 0002-orders

    expect(declined.status).toBe(0);
    expect(declined.out).toMatch(/table orders and its 3 rows/);
    expect(declined.out).toMatch(/table order_items and its 3 rows/);
    expect(tableNames(path)).toContain('orders');

    const done = run('migrate-cli', ['down', '--yes'], path);
    expect(done.status).toBe(0);
    expect(done.out).toMatch(/pending\s+0002-orders/);
    expect(tableNames(path)).not.toContain('orders');
  });

  test('up and status never ask: they discard nothing', async () => {
    const path = freshDatabasePath('commands');
    expect(run('migrate-cli', ['up'], path)).toMatchObject({ status: 0, out: expect.stringMatching(/up\s+0004-write-probe/) });
    expect(run('migrate-cli', ['status'], path)).toMatchObject({ status: 0, out: expect.stringMatching(/up\s+0001-ingredients/) });
  });
});

describe('restore asks the same way', () => {
  test('without --yes: what it would discard, nothing changed, exit 0', async () => {
    const path = await databaseWithOrders();
    const backup = join(dirname(path), 'before.db');
    expect(run('backup-cli', ['backup', backup], path).status).toBe(0);
    const db = openDatabase(path, sqliteOptions);
    await sqliteUseCases(db).pick('cheese', 2);
    db.close();

    const declined = run('backup-cli', ['restore', backup], path);
    expect(declined.status).toBe(0);
    expect(declined.out).toMatch(/stock of cheese: 5 now, 7 after the restore/);
    expect(declined.out).toMatch(/nothing was changed; run again with --yes/);
  });

  test('through npm run db, declining prints no npm error', async () => {
    const path = await databaseWithOrders();
    const backup = join(dirname(path), 'before.db');
    run('backup-cli', ['backup', backup], path);
    const result = spawnSync('npm', ['run', 'db', '--', 'restore', backup], { cwd: workspace, env: { ...process.env, DATABASE_PATH: path }, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toMatch(/nothing was changed; run again with --yes/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/npm error|Lifecycle script/);
    expect(result.status).toBe(0);
  }, 120_000);
});

describe('a backup is one self-contained file', () => {
  test('taken while the database is open, it leaves no -wal or -shm beside it, even once read', async () => {
    const path = await databaseWithOrders();
    const live = openDatabase(path, sqliteOptions); // the service holds it open, in WAL mode
    const backup = join(dirname(path), 'backup.db');
    expect(run('backup-cli', ['backup', backup], path)).toMatchObject({ status: 0 });
    run('backup-cli', ['restore', backup], path); // reads the backup (and declines)
    live.close();

    expect(readdirSync(dirname(path)).filter((name) => name.startsWith(basename(backup)))).toEqual(['backup.db']);
    const copy = openDatabase(backup, sqliteOptions);
    expect([copy.prepare('SELECT count(*) FROM orders').pluck().get(), (await sqliteUseCases(copy).levels()).cheese]).toEqual([3, 7]);
    copy.close();
  });

  test('an existing file is not overwritten without --yes', async () => {
    const path = await databaseWithOrders();
    const backup = join(dirname(path), 'precious.db');
    writeFileSync(backup, 'last week');

    const declined = run('backup-cli', ['backup', backup], path);
    expect(declined).toMatchObject({ status: 0, out: expect.stringMatching(/would replace an existing file:\n {2}\S+precious\.db: 9 bytes, .*\nnothing was changed; run again with --yes/) });
    expect(run('backup-cli', ['backup', backup, '--yes'], path)).toMatchObject({ status: 0, out: expect.stringMatching(/backed up/) });
  });
});
