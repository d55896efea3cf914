import type { Db } from './db';

/** Compares two real databases rather than reading a migration's code, so it reports what a step really removes. */

const BOOKKEEPING = new Set(['migrations']);

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function tables(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

function columns(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name);
}

const rows = (db: Db, table: string) => db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
const values = (db: Db, table: string, column: string) => db.prepare(`SELECT count("${column}") FROM "${table}"`).pluck().get() as number;

export function dataLost(before: Db, after: Db): string[] {
  const remaining = new Set(tables(after));
  const lost: string[] = [];
  for (const table of tables(before).filter((name) => !BOOKKEEPING.has(name))) {
    const rowsBefore = rows(before, table);
    if (!remaining.has(table)) {
      lost.push(rowsBefore === 0 ? `table ${table} (empty)` : `table ${table} and its ${count(rowsBefore, 'row')}`);
      continue;
    }
    const kept = new Set(columns(after, table));
    for (const column of columns(before, table).filter((name) => !kept.has(name))) {
      const held = values(before, table, column);
      lost.push(held === 0 ? `column ${table}.${column} (no values)` : `column ${table}.${column}: ${count(held, 'value')}`);
    }
    const rowsAfter = rows(after, table);
    if (rowsAfter < rowsBefore) lost.push(`${count(rowsBefore - rowsAfter, 'row')} of table ${table} (${rowsBefore} now)`);
  }
  return lost;
}
