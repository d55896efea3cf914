import { CHILLYBIN_CALL_BUDGET_MS } from '@toasties/contract';
import { QUERY_ANSWER_SLACK_MS } from './store/postgres/pool';
import { SERVICE_BUSY_TIMEOUT_MS } from './store/write-retry';

/**
 * The longest a write can keep its caller waiting. Start-up refuses settings whose sum
 * exceeds CHILLYBIN_TIMEOUT_MS: jafflr would have given up before chillybin answered. Only
 * the statement that takes the stock's rows waits on other writes, so one statement counts.
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
