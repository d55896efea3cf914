/**
 * What the database failing means. SQLite names its failures by result code; three kinds of
 * them are the database's fault, not the request's nor the code's:
 * - busy: another connection holds the lock (SQLITE_BUSY*, SQLITE_LOCKED*): try again;
 * - full: the file cannot grow, the disk is full (SQLITE_FULL);
 * - unavailable: the file cannot be read or written at all (I/O errors, read-only file
 *   system, a file that went missing or is not a database).
 * Anything else (a constraint, a syntax error) is a bug. What a client is told for each is
 * the edge's business (answers.ts).
 */
export type DatabaseFault = 'busy' | 'full' | 'unavailable';

const UNAVAILABLE = /^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM|NOLFS)/;

/**
 * Recognised by name and code, not by `instanceof`: better-sqlite3's native part keeps the
 * SqliteError class of the first copy of its JavaScript that loaded (and that copy's Error),
 * so an error from a connection opened through another copy (a second module registry or
 * realm, as jest makes one per test file) is no instance of this copy's classes.
 */
export function databaseFault(error: unknown): DatabaseFault | undefined {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (name !== 'SqliteError' || typeof code !== 'string') return undefined;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'busy';
  if (code === 'SQLITE_FULL') return 'full';
  if (UNAVAILABLE.test(code)) return 'unavailable';
  return undefined;
}
