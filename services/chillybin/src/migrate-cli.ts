#!/usr/bin/env node
// npm run migrate -w @toasties/chillybin -- up|down|status
// Runs against DATABASE_PATH, like the service. Migrations also run at every start-up;
// this is for operators: check what a deploy will do, or step back one migration.
import { createLogger } from '@toasties/observability';
import { loadConfig } from './config';
import { openDatabase } from './db';
import { createMigrator } from './migrations';

const usage = 'usage: migrate up | down | status';

async function run(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.DATABASE_PATH);
  const migrator = createMigrator(db, createLogger({ service: 'chillybin-migrate', version: config.VERSION, level: 'info', format: 'pretty' }));
  try {
    if (command === 'up') await migrator.up();
    else if (command === 'down') await migrator.down();
    else if (command !== 'status') throw new Error(usage);
    const executed = (await migrator.executed()).map((m) => m.name);
    const pending = (await migrator.pending()).map((m) => m.name);
    console.log(`database: ${config.DATABASE_PATH}`);
    for (const name of executed) console.log(`  up       ${name}`);
    for (const name of pending) console.log(`  pending  ${name}`);
  } finally {
    db.close();
  }
}

run(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
