// The baseline for `npm run bench`: the least a pick can be. Bare express, one
// better-sqlite3 conditional decrement, the same pragmas as chillybin, nothing else
// (no validation, no logging, no metrics, no cluster).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Database from 'better-sqlite3';

const dir = mkdtempSync(join(tmpdir(), 'baseline-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const db = new Database(join(dir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`);
db.exec('CREATE TABLE ingredients (name TEXT PRIMARY KEY, quantity INTEGER NOT NULL CHECK (quantity >= 0))');
db.prepare('INSERT INTO ingredients VALUES (?, ?)').run('cheese', 1_000_000_000);
const decrement = db.prepare('UPDATE ingredients SET quantity = quantity - 1 WHERE name = ? AND quantity >= 1');

const app = express();
app.post('/pick', (req, res) => {
  res.status(decrement.run(req.query.name).changes === 1 ? 200 : 410).send('ok');
});
// PORT as the services read it; 0 (the kernel picks) when unset.
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'listening', port: server.address().port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
