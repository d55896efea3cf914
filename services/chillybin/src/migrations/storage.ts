import type { UmzugStorage } from 'umzug';
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
