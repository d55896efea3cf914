/**
 * What the database failing means. Three kinds of failure are the database's fault, not
 * the request's nor the code's:
 * - busy: another connection holds what this one needs, or the two got in each other's way:
 *   try again (SQLite: SQLITE_BUSY*, SQLITE_LOCKED*; PostgreSQL: deadlock_detected 40P01,
 *   serialization_failure 40001, lock_not_available 55P03, a statement cancelled by
 *   statement_timeout 57014), or no connection free in time (node-postgres' pool: every
 *   connection in use). Each rolled back the whole transaction, or never began one;
 * - full: the database cannot grow, the disk is full (SQLITE_FULL; disk_full 53100);
 * - unavailable: the database cannot be read or written at all (SQLite: I/O errors, a
 *   read-only file system, a file that went missing or is not a database; PostgreSQL: the
 *   server unreachable, restarting, refusing connections, or the connection lost).
 * Anything else (a constraint, a syntax error) is a bug. What a client is told for each is
 * the edge's business (answers.ts).
 */
export type DatabaseFault = 'busy' | 'full' | 'unavailable';

const UNAVAILABLE = /^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM|NOLFS)/;

/** SQLSTATEs (PostgreSQL's error codes, appendix A of its manual) by what they mean here. */
const PG_BUSY = new Set(['40P01', '40001', '55P03', '57014']);
const PG_FULL = new Set(['53100']);
// Class 08: connection exceptions; 57P01-57P03: shutting down or starting up; 53300: too
// many connections; 3D000: no such database; 28xxx: login refused; 58xxx: system errors.
const PG_UNAVAILABLE = /^(08|57P0[1-3]|53300|53200|3D000|28|58)/;
// The node-postgres client's own failures, which carry no SQLSTATE. A pool that gives no
// connection in time is most often a pool whose connections are all in use: busy, retried.
// (The server being unreachable shows as refused connections, and fails readiness.)
const PG_POOL_WAIT = /^timeout exceeded when trying to connect/;
const PG_CLIENT = /^(Connection terminated|Query read timeout|Client has encountered a connection error|Client was closed)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function sqliteFault(code: string): DatabaseFault | undefined {
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'busy';
  if (code === 'SQLITE_FULL') return 'full';
  if (UNAVAILABLE.test(code)) return 'unavailable';
  return undefined;
}

/** A server error carries a SQLSTATE (five characters) and a severity. */
function postgresFault(code: string): DatabaseFault | undefined {
  if (PG_BUSY.has(code)) return 'busy';
  if (PG_FULL.has(code)) return 'full';
  if (PG_UNAVAILABLE.test(code)) return 'unavailable';
  return undefined;
}

/**
 * Recognised by name, code and shape, not by `instanceof`: better-sqlite3's native part
 * keeps the SqliteError class of the first copy of its JavaScript that loaded (and that
 * copy's Error), so an error from a connection opened through another copy (a second
 * module registry or realm, as jest makes one per test file) is no instance of this copy's
 * classes; node-postgres' connection failures are plain Errors.
 */
export function databaseFault(error: unknown): DatabaseFault | undefined {
  const { name, code, severity, message } = (error ?? {}) as { name?: unknown; code?: unknown; severity?: unknown; message?: unknown };
  if (name === 'DatabaseFileReplaced') return 'unavailable'; // store/sqlite/file-identity.ts
  if (name === 'SqliteError') return typeof code === 'string' ? sqliteFault(code) : undefined;
  if (typeof severity === 'string' && typeof code === 'string' && code.length === 5) return postgresFault(code);
  if (typeof code === 'string' && NETWORK.has(code)) return 'unavailable';
  if (typeof message === 'string' && PG_POOL_WAIT.test(message)) return 'busy';
  if (typeof message === 'string' && PG_CLIENT.test(message)) return 'unavailable';
  return undefined;
}
