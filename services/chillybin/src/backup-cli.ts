#!/usr/bin/env node
// npm run db -w @toasties/chillybin -- backup <file>
// npm run db -w @toasties/chillybin -- restore <file> [--yes]
//
// backup: a consistent copy of DATABASE_PATH, safe while the service runs (the deploy
// takes one before every migration). restore: says first what it would discard; only
// with --yes does it replace the database.
import Database from 'better-sqlite3';
import { backupDatabase, restoreDatabase, restoreImpact } from './backup';
import { loadConfig } from './config';
import { openDatabase } from './db';

const usage = 'usage: db backup <file> | db restore <file> [--yes]';

const POSTGRES_BACKUPS = [
  'DATABASE_URL is set: chillybin is on PostgreSQL, and this command only copies SQLite files. Nothing was done.',
  'Back up and restore PostgreSQL with its own tools instead:',
  '  - on Kubernetes (k8s/overlays/postgres), the CloudNativePG operator: a Backup or ScheduledBackup of the Cluster,',
  '    and a restore is a new Cluster bootstrapped from it (docs/scaling.md);',
  '  - elsewhere: pg_dump --format=custom --file=<file> "$DATABASE_URL", and pg_restore --clean --dbname="$DATABASE_URL" <file>',
  '    with every chillybin stopped.',
].join('\n');

async function run([command, file, flag]: string[]): Promise<number> {
  const { DATABASE_PATH, DATABASE_URL } = loadConfig();
  if (!file || (command !== 'backup' && command !== 'restore')) throw new Error(usage);
  // A file copy means nothing for a server: say what does the job there, and touch nothing.
  if (DATABASE_URL) throw new Error(POSTGRES_BACKUPS);
  if (command === 'backup') {
    const db = openDatabase(DATABASE_PATH);
    await backupDatabase(db, file);
    db.close();
    console.log(`backed up ${DATABASE_PATH} to ${file}`);
    return 0;
  }
  const current = openDatabase(DATABASE_PATH);
  const backup = new Database(file, { readonly: true, fileMustExist: true });
  const impact = await restoreImpact(current, backup);
  backup.close();
  current.close();
  console.log(`restoring ${file} over ${DATABASE_PATH} discards everything written since the backup:`);
  if (impact.tables.length === 0 && impact.stock.length === 0) console.log('  nothing: the two hold the same rows');
  for (const t of impact.tables) console.log(`  table ${t.name}: ${t.now} rows now, ${t.backup} after the restore (${t.now - t.backup >= 0 ? `${t.now - t.backup} lost` : `${t.backup - t.now} back`})`);
  for (const s of impact.stock) console.log(`  stock of ${s.ingredient}: ${s.now ?? 'none'} now, ${s.backup ?? 'none'} after the restore`);
  if (flag !== '--yes') {
    console.log('nothing was changed; run again with --yes to restore');
    return 1;
  }
  await restoreDatabase(file, DATABASE_PATH);
  console.log(`restored ${DATABASE_PATH} from ${file}`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
