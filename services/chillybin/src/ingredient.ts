/** Keeps sums far from integer overflow. */
export const MAX_STOCK_QUANTITY = 1_000_000;
