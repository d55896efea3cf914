import type { PickItem } from '@toasties/contract';
import { createSqliteStore, orderV2, pickV1, restock, type Outcome, type Picking, type Store } from '../src/app';
import type { Db } from '../src/db';
import type { StockLevels } from '../src/store/store';
import { pickingSettings, sqliteStoreOptions } from './settings';

/** An outcome that is not a success, as the error it carries (how the tests before outcomes read them). */
function refusal(outcome: Outcome): Error | undefined {
  if (outcome.kind === 'short') return outcome.shortage;
  if (outcome.kind === 'refused') return outcome.reason;
  if (outcome.kind === 'unknown') return outcome.cause;
  return undefined;
}

/**
 * The use cases over a store, for tests that arrange or check state around an API call: a
 * pick or an order resolves when it happened and rejects with its refusal otherwise.
 */
export function useCases(store: Store, options: Partial<Omit<Picking, 'store'>> = {}) {
  const picking: Picking = { ...pickingSettings, ...options, store };
  return {
    levels: () => store.read((t) => t.stock.levels()),
    async pick(ingredient: string, quantity: number): Promise<void> {
      const failed = refusal(await pickV1(picking, { ingredient, quantity }));
      if (failed) throw failed;
    },
    async place(customer: string, items: readonly PickItem[]) {
      const outcome = await orderV2(picking, { customer, items }, undefined);
      if (outcome.kind === 'placed') return outcome.order;
      throw refusal(outcome) ?? new Error(`unexpected ${outcome.kind}`);
    },
    restock: (amounts: Readonly<StockLevels>) => restock(store, amounts),
    get: (id: string) => store.read((t) => t.orders.get(id)),
    publicIdOf: (rowId: number) => store.read((t) => t.orders.publicIdOf(rowId)),
  };
}

/** The same over an open, migrated SQLite connection. */
export const sqliteUseCases = (db: Db, options: Partial<Omit<Picking, 'store'>> = {}) => useCases(createSqliteStore(db, sqliteStoreOptions), options);
