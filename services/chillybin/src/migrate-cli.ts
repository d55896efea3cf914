#!/usr/bin/env node
// npm run migrate -w @toasties/chillybin -- up | status | down [--yes]
// Runs against DATABASE_PATH, like the service. Migrations also run at every start-up;
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

async function run(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, options: { yes: { type: 'boolean', default: false } }, allowPositionals: true });
  const command = positionals[0];
  if (positionals.length !== 1 || !['up', 'down', 'status'].includes(command!)) throw new Error(usage);
  const config = loadConfig();
  const db = openDatabase(config.DATABASE_PATH);
  const migrator = createMigrator(db, createLogger({ service: 'chillybin-migrate', version: config.VERSION, level: 'info', format: 'pretty' }));
  try {
    if (command === 'up') await migrator.up();
    if (command === 'down') {
      const last = (await migrator.executed()).at(-1)?.name;
      if (last === undefined) console.log('nothing to undo: no migration has run');
      else if (!askedFirst(values.yes, `migrate down would undo ${last} on ${config.DATABASE_PATH}, and discard:`, await whatDownDiscards(db), `undo ${last}`)) return;
      else await migrator.down();
    }
    const executed = (await migrator.executed()).map((m) => m.name);
    const pending = (await migrator.pending()).map((m) => m.name);
    console.log(`database: ${config.DATABASE_PATH}`);
    for (const name of executed) console.log(`  up       ${name}`);
    for (const name of pending) console.log(`  pending  ${name}`);
  } finally {
    db.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
