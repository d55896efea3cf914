import { createMigrator, openDatabase } from '../src/app';
import { sqliteUseCases } from './use-cases';
import { sqliteOptions } from './settings';

// What POST /restock resets to, changed as a maintainer might change it tomorrow.
jest.mock('../src/default-stock', () => ({ DEFAULT_STOCK: Object.freeze({ cheese: 99, truffle: 1 }) }));

describe('the first migration', () => {
  test('seeds what the first release held, whatever DEFAULT_STOCK says now: a released migration never changes', async () => {
    const db = openDatabase(':memory:', sqliteOptions);
    await createMigrator(db).up({ to: '0001-ingredients' });
    expect(await sqliteUseCases(db).levels()).toEqual({ cheese: 10, bread: 10, vegemite: 10, ham: 10, tomato: 10, pineapple: 10, sheese: 10 });
    db.close();
  });
});
