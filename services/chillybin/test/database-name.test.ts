import { databaseName } from '../src/database-name';

describe('the database chillybin says it is on, at start-up', () => {
  test.each([
    [{ DATABASE_PATH: 'data/chillybin.db' }, 'SQLite ./data/chillybin.db'],
    [{ DATABASE_PATH: './data//chillybin.db' }, 'SQLite ./data/chillybin.db'],
    [{ DATABASE_PATH: '/var/lib/chillybin/stock.db' }, 'SQLite /var/lib/chillybin/stock.db'],
    [{ DATABASE_PATH: ':memory:' }, 'SQLite in memory (:memory:)'],
    [{ DATABASE_PATH: 'data/chillybin.db', DATABASE_URL: 'postgres://chillybin:s3cret@db.internal:5432/chillybin' }, 'PostgreSQL db.internal:5432/chillybin'],
    [{ DATABASE_PATH: 'data/chillybin.db', DATABASE_URL: 'postgresql://127.0.0.1/stock?sslmode=disable' }, 'PostgreSQL 127.0.0.1/stock'],
  ])('%j → %s', (config, name) => {
    expect(databaseName(config)).toBe(name);
  });

  test('never the password or the user of a URL', () => {
    expect(databaseName({ DATABASE_PATH: 'x', DATABASE_URL: 'postgres://admin:hunter2@h/db' })).not.toMatch(/hunter2|admin/);
  });
});
