import type { ErrorRequestHandler } from 'express';
import Database from 'better-sqlite3';
import { HttpError } from '@toasties/http';

/**
 * What the database failing means for a client. SQLite names its failures by result code;
 * three kinds of them are the database's fault, not the request's nor the code's, and each
 * gets an answer that says so instead of a 500:
 * - busy: another connection holds the lock (SQLITE_BUSY*, SQLITE_LOCKED*): 503, try again;
 * - full: the file cannot grow, the disk is full (SQLITE_FULL): 507;
 * - unavailable: the file cannot be read or written at all (I/O errors, read-only file
 *   system, a file that went missing or is not a database): 503.
 * Anything else (a constraint, a syntax error) is a bug and stays a 500.
 */
export type DatabaseFault = 'busy' | 'full' | 'unavailable';

const UNAVAILABLE = /^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM|NOLFS)/;

export function databaseFault(error: unknown): DatabaseFault | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  if (/^SQLITE_(BUSY|LOCKED)/.test(error.code)) return 'busy';
  if (error.code === 'SQLITE_FULL') return 'full';
  if (UNAVAILABLE.test(error.code)) return 'unavailable';
  return undefined;
}

/** The answer for each fault. Retry-After: a lock passes in moments, space takes someone. */
export function faultAnswer(fault: DatabaseFault, error: Error): HttpError {
  switch (fault) {
    case 'busy':
      return new HttpError('database_busy', 'the database is locked by another process; nothing was changed, try again', { headers: { 'Retry-After': '1' } });
    case 'full':
      return new HttpError('storage_full', `the database cannot grow (${error.message}); nothing was changed`, { headers: { 'Retry-After': '30' } });
    case 'unavailable':
      return new HttpError('database_unavailable', 'the database cannot be read or written; nothing was changed, and it has been logged', { headers: { 'Retry-After': '30' } });
  }
}

interface Logger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Express error middleware: a database fault becomes its answer (and a log line); the rest passes on. */
export function databaseErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, _res, next) => {
    const fault = databaseFault(error);
    if (!fault) return next(error);
    const details = { err: error, fault, method: req.method, url: req.originalUrl };
    if (fault === 'busy') logger.warn(details, 'database busy: request refused');
    else logger.error(details, `database ${fault}: request refused`);
    next(faultAnswer(fault, error as Error));
  };
}
