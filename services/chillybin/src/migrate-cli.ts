#!/usr/bin/env node
// npm run migrate -w @toasties/chillybin -- up|down|status
// Runs against DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite), like the service. Migrations also run at every start-up;
// this is for operators: check what a deploy will do, or step back one migration.
import { createLogger } from '@toasties/observability';
import { loadConfig } from './config';
import { openDatabase } from './db';
import { createMigrator } from './migrations';
import { withMigrationLock } from './migrations/postgres';

const usage = 'usage: migrate up | down | status';

type Migrator = Pick<ReturnType<typeof createMigrator>, 'up' | 'down' | 'executed' | 'pending'>;

async function step(migrator: Migrator, command: string | undefined, database: string): Promise<void> {
  if (command === 'up') await migrator.up();
  else if (command === 'down') await migrator.down();
  else if (command !== 'status') throw new Error(usage);
  const executed = (await migrator.executed()).map((m) => m.name);
  const pending = (await migrator.pending()).map((m) => m.name);
  console.log(`database: ${database}`);
  for (const name of executed) console.log(`  up       ${name}`);
  for (const name of pending) console.log(`  pending  ${name}`);
}

async function run(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ service: 'chillybin-migrate', version: config.VERSION, level: 'info', format: 'pretty' });
  if (config.DATABASE_URL) {
    // Under the same advisory lock as the replicas' start-up migrations.
    await withMigrationLock(config.DATABASE_URL, logger, (migrator) => step(migrator, command, 'PostgreSQL (DATABASE_URL)'));
    return;
  }
  const db = openDatabase(config.DATABASE_PATH);
  try {
    await step(createMigrator(db, logger), command, config.DATABASE_PATH);
  } finally {
    db.close();
  }
}

run(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
