#!/usr/bin/env node
// npm run migrate -w @toasties/chillybin -- up | status | down [--yes]
// Runs against DATABASE_URL (PostgreSQL, under the replicas' advisory lock) or DATABASE_PATH
// (SQLite), like the service. Migrations also run at every start-up;
// this is for operators: check what a deploy will do, or step back one migration.
// `down` discards what the migration added, so it first says what (ask-first.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@toasties/observability';
import { askedFirst } from './ask-first';
import { backupDatabase } from './backup';
import { loadConfig } from './config';
import { dataLost } from './data-loss';
import { openDatabase, type Db } from './db';
import { createMigrator } from './migrations';
import { withMigrationLock } from './migrations/postgres';

const usage = 'usage: migrate up | down [--yes] | status';

/** What `down` would discard: the step run on a copy of the database, the two compared. */
async function whatDownDiscards(db: Db): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'chillybin-down-'));
  try {
    const copyPath = join(dir, 'copy.db');
    await backupDatabase(db, copyPath);
    const copy = openDatabase(copyPath);
    try {
      await createMigrator(copy).down();
      return dataLost(db, copy);
    } finally {
      copy.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Migrator = Pick<ReturnType<typeof createMigrator>, 'up' | 'down' | 'executed' | 'pending'>;

async function report(migrator: Migrator, database: string): Promise<void> {
  const executed = (await migrator.executed()).map((m) => m.name);
  const pending = (await migrator.pending()).map((m) => m.name);
  console.log(`database: ${database}`);
  for (const name of executed) console.log(`  up       ${name}`);
  for (const name of pending) console.log(`  pending  ${name}`);
}

/** On PostgreSQL: `down` is asked first too, but what it would discard is not worked out there. */
async function onPostgres(migrator: Migrator, command: string, yes: boolean): Promise<void> {
  if (command === 'up') await migrator.up();
  if (command === 'down') {
    const last = (await migrator.executed()).at(-1)?.name;
    const discards = ['what the migration added (back up first: pg_dump, or the operator\'s backups; docs/scaling.md)'];
    if (last === undefined) console.log('nothing to undo: no migration has run');
    else if (!askedFirst(yes, `migrate down would undo ${last} on PostgreSQL (DATABASE_URL), and discard:`, discards, `undo ${last}`)) return;
    else await migrator.down();
  }
  await report(migrator, 'PostgreSQL (DATABASE_URL)');
}

async function run(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, options: { yes: { type: 'boolean', default: false } }, allowPositionals: true });
  const command = positionals[0];
  if (positionals.length !== 1 || !['up', 'down', 'status'].includes(command!)) throw new Error(usage);
  const config = loadConfig();
  const logger = createLogger({ service: 'chillybin-migrate', version: config.VERSION, level: 'info', format: 'pretty' });
  if (config.DATABASE_URL) return withMigrationLock(config.DATABASE_URL, logger, (migrator) => onPostgres(migrator, command!, values.yes));
  const db = openDatabase(config.DATABASE_PATH);
  const migrator = createMigrator(db, logger);
  try {
    if (command === 'up') await migrator.up();
    if (command === 'down') {
      const last = (await migrator.executed()).at(-1)?.name;
      if (last === undefined) console.log('nothing to undo: no migration has run');
      else if (!askedFirst(values.yes, `migrate down would undo ${last} on ${config.DATABASE_PATH}, and discard:`, await whatDownDiscards(db), `undo ${last}`)) return;
      else await migrator.down();
    }
    await report(migrator, config.DATABASE_PATH);
  } finally {
    db.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
