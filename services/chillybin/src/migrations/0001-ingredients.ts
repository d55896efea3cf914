import type { Migration } from './migration';

/** Frozen: a released migration must do on a new database what it did then (docs/contract.md). */
const SEED: Readonly<Record<string, number>> = Object.freeze({
  cheese: 10,
  bread: 10,
  vegemite: 10,
  ham: 10,
  tomato: 10,
  pineapple: 10,
  sheese: 10,
});

export const ingredients: Migration = {
  name: '0001-ingredients',
  up(db) {
    // The last line of defence: whatever the code does, stock never goes negative.
    db.exec(`
      CREATE TABLE ingredients (
        name     TEXT PRIMARY KEY NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0)
      ) STRICT
    `);
    // Its own SQL, not the stock module's: that one follows the newest schema.
    const insert = db.prepare('INSERT INTO ingredients (name, quantity) VALUES (?, ?)');
    for (const [name, quantity] of Object.entries(SEED)) insert.run(name, quantity);
  },
  down(db) {
    db.exec('DROP TABLE ingredients');
  },
};
