import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createMigrator, openDatabase } from '../src/app';
import { sqliteOptions } from './settings';

/**
 * One owner per table and backend: each table of the schema is read and written by one file
 * in each backend's folder of the store (store/sqlite/stock.ts and store/postgres/stock.ts
 * for ingredients), and everything else goes through the store's interface (store/store.ts).
 * Released migrations are the exception: each keeps its SQL as of its own schema; the
 * migrations' own bookkeeping table belongs to migrations/storage.ts. A change to a table's
 * SQL on one backend is made in one file, and a fork drops a backend by deleting its folder.
 */
const BACKENDS = ['store/sqlite', 'store/postgres'];
const OWNERS: Record<string, readonly string[]> = {
  ingredients: BACKENDS.map((backend) => `${backend}/stock.ts`),
  orders: BACKENDS.map((backend) => `${backend}/orders.ts`),
  order_items: BACKENDS.map((backend) => `${backend}/orders.ts`),
  idempotency_keys: BACKENDS.map((backend) => `${backend}/idempotency-keys.ts`),
  write_probe: BACKENDS.map((backend) => `${backend}/write-probe.ts`),
  migrations: ['migrations/storage.ts'],
};

const src = join(__dirname, '..', 'src');
const isReleasedMigration = (file: string) => /^migrations\/(postgres\/)?\d{4}-/.test(file);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(src, path)] : [];
  });
}

/** The tables a file's SQL names: after FROM, INTO, UPDATE, JOIN or TABLE. */
function tablesIn(file: string): Set<string> {
  const text = readFileSync(join(src, file), 'utf8');
  return new Set([...text.matchAll(/\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+"?([a-z_]+)"?/g)].map((match) => match[1]!));
}

describe('one owner per table', () => {
  test('every table of the schema has an owner', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    await createMigrator(db).up();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    db.close();
    expect(tables).toEqual(Object.keys(OWNERS).sort());
  });

  test.each(Object.entries(OWNERS))('only its owners name %s in SQL (%s)', (table, owners) => {
    const naming = sourceFiles(src).filter((file) => !isReleasedMigration(file) && tablesIn(file).has(table));
    expect(naming.sort()).toEqual([...owners].sort());
  });
});
