import { CHILLYBIN_CALL_BUDGET_MS } from '@toasties/contract';
import { QUERY_ANSWER_SLACK_MS } from './store/postgres/pool';
import { SERVICE_BUSY_TIMEOUT_MS } from './store/write-retry';

/**
 * The longest a write can keep its caller waiting before chillybin answers (a success, or a
 * 503 the caller may retry), from the settings that bound each wait:
 *
 * - SQLite: the lock is waited for up to SQLITE_LOCK_WAIT_MS in all; the last attempt may
 *   still block on the connection's own busy_timeout.
 * - PostgreSQL: busy attempts are retried up to DATABASE_RETRY_WINDOW_MS, and the last one
 *   started may take a connection from the pool (DATABASE_CONNECT_TIMEOUT_MS), wait on one
 *   statement (statement_timeout, or the client's query_timeout of statement timeout +
 *   QUERY_ANSWER_SLACK_MS when the server does not answer at all), and ask about a COMMIT whose answer was lost
 *   (DATABASE_COMMIT_CHECK_MS). The other statements of a write are short: only the one that
 *   takes the stock's rows waits on other writes.
 *
 * Start-up refuses settings whose sum exceeds CHILLYBIN_TIMEOUT_MS (by default the contract's
 * budget, as jafflr's): jafflr would have given up and answered its customer before chillybin
 * did.
 */
export interface WaitSettings {
  readonly DATABASE_URL?: string | undefined;
  readonly SQLITE_LOCK_WAIT_MS: number;
  readonly DATABASE_RETRY_WINDOW_MS: number;
  readonly DATABASE_CONNECT_TIMEOUT_MS: number;
  readonly DATABASE_STATEMENT_TIMEOUT_MS: number;
  readonly DATABASE_COMMIT_CHECK_MS: number;
}

export function worstCaseWriteWaitMs(settings: WaitSettings): number {
  if (!settings.DATABASE_URL) return settings.SQLITE_LOCK_WAIT_MS + SERVICE_BUSY_TIMEOUT_MS;
  const { DATABASE_RETRY_WINDOW_MS: retry, DATABASE_CONNECT_TIMEOUT_MS: connect, DATABASE_STATEMENT_TIMEOUT_MS: statement, DATABASE_COMMIT_CHECK_MS: commitCheck } = settings;
  return retry + connect + (statement + QUERY_ANSWER_SLACK_MS) + commitCheck;
}

export const WRITE_BUDGET_MS = CHILLYBIN_CALL_BUDGET_MS;
