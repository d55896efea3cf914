// Typed by shape, so testkit needs no SQLite driver of its own: pass a better-sqlite3 Database.
export interface SqliteReader {
  prepare(sql: string): { all(): unknown[]; pluck(): { get(): unknown } };
}

/** Every table, index and trigger a migration made (not SQLite's own, nor the migration record), by name. */
export function schemaOf(db: SqliteReader): unknown[] {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'migrations' ORDER BY name").all();
}

/** How many rows `table` holds: "nothing changed" includes "no row recorded". */
export function rowCount(db: SqliteReader, table: string): number {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}
