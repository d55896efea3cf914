import { DEFAULT_STOCK } from '../default-stock';
import type { Migration } from './migration';

export const ingredients: Migration = {
  name: '0001-ingredients',
  up(db) {
    // The CHECK is the last line of defence: whatever the code does, stock never goes negative.
    db.exec(`
      CREATE TABLE ingredients (
        name     TEXT PRIMARY KEY NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0)
      ) STRICT
    `);
    const insert = db.prepare('INSERT INTO ingredients (name, quantity) VALUES (?, ?)');
    for (const [name, quantity] of Object.entries(DEFAULT_STOCK)) insert.run(name, quantity);
  },
  down(db) {
    db.exec('DROP TABLE ingredients');
  },
};
