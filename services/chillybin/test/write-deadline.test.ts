import { CHILLYBIN_CALL_BUDGET_MS } from '@toasties/contract';
import { configProblems, loadConfig } from '@toasties/config';
import { configSchema } from '../src/config';
import { worstCaseWriteWaitMs } from '../src/write-deadline';

/**
 * chillybin answers a write before jafflr gives up on the call: the worst wait its settings
 * allow stays within the contract's budget, its defaults come from that budget, and settings
 * that break the rule are refused at start-up, naming a variable to lower.
 */
const POSTGRES = { DATABASE_URL: 'postgres://chillybin@127.0.0.1:5432/chillybin' };

describe('the deadline budget of a write', () => {
  test.each([
    ['SQLite', {}],
    ['PostgreSQL', POSTGRES],
  ])('on %s, the defaults wait at most the budget of a jafflr call', (_backend, env) => {
    expect(worstCaseWriteWaitMs(loadConfig(configSchema, env))).toBeLessThanOrEqual(CHILLYBIN_CALL_BUDGET_MS);
  });

  test.each([
    ['a SQLite lock wait past the budget', { SQLITE_LOCK_WAIT_MS: '2000' }, /^SQLITE_LOCK_WAIT_MS: a write could wait 2020 ms .* past the 2000 ms its callers wait/],
    ['a PostgreSQL retry window of 1500 ms', { ...POSTGRES, DATABASE_RETRY_WINDOW_MS: '1500' }, /^DATABASE_RETRY_WINDOW_MS: a write could wait 3400 ms/],
    ['PostgreSQL timeouts of a second', { ...POSTGRES, DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_CONNECT_TIMEOUT_MS: '1000' }, /^DATABASE_RETRY_WINDOW_MS: a write could wait 2500 ms/],
  ])('refuses %s at start-up', (_case, env, problem) => {
    expect(configProblems(configSchema, env)).toEqual([expect.stringMatching(problem)]);
  });

  test('longer waits are allowed when the callers wait longer too (CHILLYBIN_TIMEOUT_MS, as jafflr is told)', () => {
    expect(configProblems(configSchema, { SQLITE_LOCK_WAIT_MS: '10000', CHILLYBIN_TIMEOUT_MS: '10020' })).toEqual([]);
    expect(configProblems(configSchema, { SQLITE_LOCK_WAIT_MS: '10000', CHILLYBIN_TIMEOUT_MS: '10019' })).toEqual([expect.stringMatching(/^SQLITE_LOCK_WAIT_MS: a write could wait 10020 ms/)]);
  });

  test('one wait raised is allowed when the others are lowered to fit', () => {
    const env = { ...POSTGRES, DATABASE_RETRY_WINDOW_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_CONNECT_TIMEOUT_MS: '300', DATABASE_COMMIT_CHECK_MS: '0' };
    expect(configProblems(configSchema, env)).toEqual([]);
    expect(worstCaseWriteWaitMs(loadConfig(configSchema, env))).toBe(1500);
  });
});
