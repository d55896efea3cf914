import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createMigrator, openDatabase } from '../src/app';

/**
 * One owner per table: each table of the schema is read and written by one module of src/,
 * its data-access module, and every other module goes through it (orders take their stock
 * through stock.ts). Released migrations are the exception: each keeps its SQL as of its
 * own schema. A second backend then implements one interface per table, and a change to
 * a table's SQL is made in one place.
 */
const OWNERS: Record<string, string> = {
  ingredients: 'stock.ts',
  orders: 'orders.ts',
  order_items: 'orders.ts',
  idempotency_keys: 'idempotency.ts',
  write_probe: 'writes.ts',
  migrations: 'migrations/storage.ts',
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
    const db = openDatabase(':memory:');
    await createMigrator(db).up();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    db.close();
    expect(tables).toEqual(Object.keys(OWNERS).sort());
  });

  test.each(Object.entries(OWNERS))('only its owner names %s in SQL (%s)', (table, owner) => {
    const naming = sourceFiles(src).filter((file) => !isReleasedMigration(file) && tablesIn(file).has(table));
    expect(naming).toEqual([owner]);
  });
});
