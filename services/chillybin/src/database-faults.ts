/**
 * Failures that are the database's, not the request's or the code's: busy (a lock or conflict
 * that rolled the transaction back whole, or no pool connection in time: retried), full, and
 * unavailable. Anything else is a bug.
 */
export type DatabaseFault = 'busy' | 'full' | 'unavailable';

const UNAVAILABLE = /^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM|NOLFS)/;

/** SQLSTATEs, appendix A of PostgreSQL's manual. */
const PG_BUSY = new Set(['40P01', '40001', '55P03', '57014']);
const PG_FULL = new Set(['53100']);
// Connection exceptions, shutting down or starting up, too many connections, no such
// database, login refused, system errors.
const PG_UNAVAILABLE = /^(08|57P0[1-3]|53300|53200|3D000|28|58)/;
// A pool that gives no connection in time is most often one whose connections are all in use.
const PG_POOL_WAIT = /^timeout exceeded when trying to connect/;
const PG_CLIENT = /^(Connection terminated|Query read timeout|Client has encountered a connection error|Client was closed)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function sqliteFault(code: string): DatabaseFault | undefined {
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'busy';
  if (code === 'SQLITE_FULL') return 'full';
  if (UNAVAILABLE.test(code)) return 'unavailable';
  return undefined;
}

function postgresFault(code: string): DatabaseFault | undefined {
  if (PG_BUSY.has(code)) return 'busy';
  if (PG_FULL.has(code)) return 'full';
  if (PG_UNAVAILABLE.test(code)) return 'unavailable';
  return undefined;
}

/**
 * By name, code and shape, not `instanceof`: better-sqlite3's native part throws the SqliteError
 * of the first copy of its JavaScript that loaded (jest loads one per test file).
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
