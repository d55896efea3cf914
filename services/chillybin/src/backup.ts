import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './db';
import { sqliteStock } from './store/sqlite/stock';

/**
 * VACUUM INTO reads one snapshot while the service keeps writing, and the copy is in
 * rollback-journal mode (no -wal beside it). Renamed into place: never half a backup under its name.
 */
export async function backupDatabase(db: Db, destination: string): Promise<void> {
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true }); // VACUUM INTO refuses an existing file: a crashed attempt's
  db.prepare('VACUUM INTO ?').run(partial);
  renameSync(partial, destination);
}

export interface RestoreImpact {
  readonly tables: { readonly name: string; readonly now: number; readonly backup: number }[];
  readonly stock: { readonly ingredient: string; readonly now: number | undefined; readonly backup: number | undefined }[];
}

function rowCounts(db: Db): Map<string, number> {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  return new Map(names.map((name) => [name, db.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number]));
}

/** None in a database from before migration 0001. */
async function stockOf(db: Db): Promise<Map<string, number>> {
  try {
    return new Map(Object.entries(await sqliteStock(db).levels()));
  } catch {
    return new Map();
  }
}

export async function restoreImpact(current: Db, backup: Db): Promise<RestoreImpact> {
  const [nowCounts, backupCounts] = [rowCounts(current), rowCounts(backup)];
  const tables = [...new Set([...nowCounts.keys(), ...backupCounts.keys()])].sort().map((name) => ({ name, now: nowCounts.get(name) ?? 0, backup: backupCounts.get(name) ?? 0 }));
  const [nowStock, backupStock] = [await stockOf(current), await stockOf(backup)];
  const stock = [...new Set([...nowStock.keys(), ...backupStock.keys()])]
    .map((ingredient) => ({ ingredient, now: nowStock.get(ingredient), backup: backupStock.get(ingredient) }))
    .filter((row) => row.now !== row.backup);
  return { tables: tables.filter((t) => t.now !== t.backup), stock };
}

export async function restoreDatabase(backupPath: string, target: string): Promise<void> {
  if (!existsSync(backupPath)) throw new Error(`no backup at ${backupPath}`);
  const source = new Database(backupPath, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
}
