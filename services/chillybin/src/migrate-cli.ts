#!/usr/bin/env node
// npm run migrate -w @toasties/chillybin -- up | status | down [--yes]
// For operators (migrations also run at every start): check what a deploy will do, or step back one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@toasties/observability';
import { askedFirst } from './ask-first';
import { backupDatabase } from './backup';
import { loadConfig } from './config';
import { dataLost } from './data-loss';
import { openDatabase, type Db, type Synchronous } from './db';
import { createMigrator } from './migrations';
import { withMigrationLock } from './migrations/postgres';

const usage = 'usage: migrate up | down [--yes] | status';

/** What `down` would discard: the step run on a copy of the database, the two compared. */
async function whatDownDiscards(db: Db, synchronous: Synchronous): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'chillybin-down-'));
  try {
    const copyPath = join(dir, 'copy.db');
    await backupDatabase(db, copyPath);
    const copy = openDatabase(copyPath, { synchronous });
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

async function step(migrator: Migrator, command: string, where: string, yes: boolean, discards: () => Promise<string[]>): Promise<void> {
  if (command === 'up') await migrator.up();
  if (command === 'down') {
    const last = (await migrator.executed()).at(-1)?.name;
    if (last === undefined) console.log('nothing to undo: no migration has run');
    else if (!askedFirst(yes, `migrate down would undo ${last} on ${where}, and discard:`, await discards(), `undo ${last}`)) return;
    else await migrator.down();
  }
  await report(migrator, where);
}

const POSTGRES_DISCARDS = async () => ["what the migration added (back up first: pg_dump, or the operator's backups; docs/scaling.md)"];

async function run(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, options: { yes: { type: 'boolean', default: false } }, allowPositionals: true });
  const command = positionals[0];
  if (positionals.length !== 1 || !command || !['up', 'down', 'status'].includes(command)) throw new Error(usage);
  const config = loadConfig();
  const logger = createLogger({ service: 'chillybin-migrate', version: config.VERSION, level: 'info', format: 'pretty' });
  if (config.DATABASE_URL) {
    return withMigrationLock(config.DATABASE_URL, logger, (migrator) => step(migrator, command, 'PostgreSQL (DATABASE_URL)', values.yes, POSTGRES_DISCARDS));
  }
  const db = openDatabase(config.DATABASE_PATH, { synchronous: config.SQLITE_SYNCHRONOUS });
  try {
    await step(createMigrator(db, logger), command, config.DATABASE_PATH, values.yes, () => whatDownDiscards(db, config.SQLITE_SYNCHRONOUS));
  } finally {
    db.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
