import { freshDatabasePath } from '@toasties/testkit';
import { openDatabase } from '../src/app';

describe('openDatabase', () => {
  test.each([
    ['journal_mode', 'wal'],
    ['busy_timeout', 5000],
    ['foreign_keys', 1],
    ['synchronous', 1], // NORMAL
  ])('sets %s to %p on a file', (pragma, value) => {
    expect(openDatabase(freshDatabasePath()).pragma(pragma, { simple: true })).toBe(value);
  });

  test('synchronous=FULL when asked (2 is FULL)', () => {
    expect(openDatabase(freshDatabasePath(), { synchronous: 'FULL' }).pragma('synchronous', { simple: true })).toBe(2);
  });

  test('creates the directory a new database file goes in', () => {
    const path = freshDatabasePath().replace(/test\.db$/, 'nested/deeper/stock.db');
    expect(() => openDatabase(path).prepare('SELECT 1').get()).not.toThrow();
  });
});
