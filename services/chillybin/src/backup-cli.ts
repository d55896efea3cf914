#!/usr/bin/env node
// npm run db -w @toasties/chillybin -- backup <file> [--yes]
// npm run db -w @toasties/chillybin -- restore <file> [--yes]
// Both discard something (restore: what was written since; backup: an existing file), so both ask first.
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { askedFirst } from './ask-first';
import { backupDatabase, restoreDatabase, restoreImpact } from './backup';
import { loadConfig } from './config';
import { openDatabase, type Synchronous } from './db';

const usage = 'usage: db backup <file> [--yes] | db restore <file> [--yes]';

const POSTGRES_BACKUPS = [
  'DATABASE_URL is set: chillybin is on PostgreSQL, and this command only copies SQLite files. Nothing was done.',
  'Back up and restore PostgreSQL with its own tools instead:',
  '  - on Kubernetes (k8s/overlays/postgres), the CloudNativePG operator: a Backup or ScheduledBackup of the Cluster,',
  '    and a restore is a new Cluster bootstrapped from it (docs/scaling.md);',
  '  - elsewhere: pg_dump --format=custom --file=<file> "$DATABASE_URL", and pg_restore --clean --dbname="$DATABASE_URL" <file>',
  '    with every chillybin stopped.',
].join('\n');

async function describeRestore(file: string, databasePath: string, synchronous: Synchronous): Promise<string[]> {
  const current = openDatabase(databasePath, { synchronous });
  const backup = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const impact = await restoreImpact(current, backup);
    return [
      ...impact.tables.map((t) => `table ${t.name}: ${t.now} rows now, ${t.backup} after the restore (${t.now - t.backup >= 0 ? `${t.now - t.backup} lost` : `${t.backup - t.now} back`})`),
      ...impact.stock.map((s) => `stock of ${s.ingredient}: ${s.now ?? 'none'} now, ${s.backup ?? 'none'} after the restore`),
    ];
  } finally {
    backup.close();
    current.close();
  }
}

async function run(args: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args, options: { yes: { type: 'boolean', default: false } }, allowPositionals: true });
  const [command, file] = positionals;
  if (positionals.length !== 2 || !file || (command !== 'backup' && command !== 'restore')) throw new Error(usage);
  const { DATABASE_PATH, DATABASE_URL, SQLITE_SYNCHRONOUS } = loadConfig();
  if (DATABASE_URL) throw new Error(POSTGRES_BACKUPS);
  if (command === 'backup') {
    if (existsSync(file)) {
      const { size, mtime } = statSync(file);
      const existing = [`${file}: ${size} bytes, last changed ${mtime.toISOString()}`];
      if (!askedFirst(values.yes, `backup would replace an existing file:`, existing, 'replace it')) return;
    }
    const db = openDatabase(DATABASE_PATH, { synchronous: SQLITE_SYNCHRONOUS });
    try {
      await backupDatabase(db, file);
    } finally {
      db.close();
    }
    console.log(`backed up ${DATABASE_PATH} to ${file}`);
    return;
  }
  if (!existsSync(file)) throw new Error(`no backup at ${file}`);
  const what = `restoring ${file} over ${DATABASE_PATH} would discard everything written since the backup:`;
  if (!askedFirst(values.yes, what, await describeRestore(file, DATABASE_PATH, SQLITE_SYNCHRONOUS), 'restore')) return;
  await restoreDatabase(file, DATABASE_PATH);
  console.log(`restored ${DATABASE_PATH} from ${file}`);
}

run(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
