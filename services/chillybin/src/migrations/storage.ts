import type { UmzugStorage } from 'umzug';
import type { ClientBase } from 'pg';
import type { Db } from '../db';

/** Umzug keeps its list of executed migrations in a table of the same database. */
export class SqliteStorage implements UmzugStorage {
  constructor(private readonly db: Db) {
    db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY NOT NULL, executed_at TEXT NOT NULL) STRICT');
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    this.db.prepare("INSERT INTO migrations (name, executed_at) VALUES (?, datetime('now'))").run(name);
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    this.db.prepare('DELETE FROM migrations WHERE name = ?').run(name);
  }

  async executed(): Promise<string[]> {
    return this.db.prepare('SELECT name FROM migrations ORDER BY name').pluck().all() as string[];
  }
}

/**
 * The names recorded as executed, read without creating the table (a start on an
 * up-to-date database only reads, and must not need umzug to do it); none before the
 * first migration ever ran.
 */
export function recordedMigrations(db: Db): string[] {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'migrations'").get();
  return table ? (db.prepare('SELECT name FROM migrations').pluck().all() as string[]) : [];
}

/**
 * The same list on PostgreSQL. `logMigration` is safe to call twice: the migrator writes
 * the row inside the migration's own transaction (so a migration and its record commit
 * together), and umzug then logs it again.
 */
export class PostgresStorage implements UmzugStorage {
  constructor(private readonly client: Pick<ClientBase, 'query'>) {}

  async create(): Promise<void> {
    await this.client.query('CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, executed_at timestamptz NOT NULL DEFAULT now())');
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.client.query('INSERT INTO migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.client.query('DELETE FROM migrations WHERE name = $1', [name]);
  }

  async executed(): Promise<string[]> {
    const { rows } = await this.client.query<{ name: string }>('SELECT name FROM migrations ORDER BY name');
    return rows.map((row) => row.name);
  }
}

/** recordedMigrations on PostgreSQL: the names recorded, none before the table exists. */
export async function recordedPostgresMigrations(client: Pick<ClientBase, 'query'>): Promise<string[]> {
  const table = await client.query<{ present: boolean }>("SELECT to_regclass('migrations') IS NOT NULL AS present");
  if (!table.rows[0]?.present) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations');
  return rows.map((row) => row.name);
}
