import { createHealth } from '@toasties/health';
import { freshDatabasePath } from '@toasties/testkit';
import { createApp, createMigrator, createStock, openDatabase, pingDatabase } from '../src/app';

const quiet = { error: () => undefined };

/** A chillybin app over a fresh, migrated SQLite file, as main.ts would build it. */
export async function buildChillybin(path = freshDatabasePath('chillybin')) {
  const db = openDatabase(path);
  await createMigrator(db).up();
  const stock = createStock(db);
  const health = createHealth({ service: 'chillybin', version: 'test', checks: { database: () => pingDatabase(db) } });
  const app = createApp({ stock, health, logger: quiet });
  return { app, db, stock, health, path };
}
