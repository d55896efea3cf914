import type { UmzugStorage } from 'umzug';
import type { ClientBase } from 'pg';
import type { Db } from '../db';

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

/** Read without creating the table: a start on an up-to-date database must not need umzug. */
export function recordedMigrations(db: Db): string[] {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'migrations'").get();
  return table ? (db.prepare('SELECT name FROM migrations').pluck().all() as string[]) : [];
}

/** `logMigration` may run twice: the migrator writes the row in the migration's transaction, then umzug logs it again. */
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

export async function recordedPostgresMigrations(client: Pick<ClientBase, 'query'>): Promise<string[]> {
  const table = await client.query<{ present: boolean }>("SELECT to_regclass('migrations') IS NOT NULL AS present");
  if (!table.rows[0]?.present) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations');
  return rows.map((row) => row.name);
}
