import type { StockLevels, Store } from './store/store';

/** The admin's write: set these amounts, and say what the stock is now. */
export function restock(store: Store, amounts: Readonly<StockLevels>): Promise<StockLevels> {
  return store.transaction(async (t) => {
    await t.stock.set(amounts);
    return t.stock.levels();
  });
}
