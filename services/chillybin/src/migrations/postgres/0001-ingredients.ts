import type { PostgresMigration } from './migration';

/** As ../0001-ingredients.ts seeded it, frozen here for the same reason. */
const SEED: readonly (readonly [string, number])[] = [
  ['cheese', 10],
  ['bread', 10],
  ['vegemite', 10],
  ['ham', 10],
  ['tomato', 10],
  ['pineapple', 10],
  ['sheese', 10],
];

export const ingredients: PostgresMigration = {
  name: '0001-ingredients',
  async up(client) {
    // position: as SQLite's rowid, so GET / lists ingredients in the same order on both.
    await client.query(`
      CREATE TABLE ingredients (
        position bigint GENERATED ALWAYS AS IDENTITY,
        name     text PRIMARY KEY,
        quantity integer NOT NULL CHECK (quantity >= 0)
      )
    `);
    for (const [name, quantity] of SEED) await client.query('INSERT INTO ingredients (name, quantity) VALUES ($1, $2)', [name, quantity]);
  },
  async down(client) {
    await client.query('DROP TABLE ingredients');
  },
};
