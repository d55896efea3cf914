/**
 * chillybin's own limit on ingredients. The name rule and the most one pick may take are the
 * contract with jafflr: @toasties/contract.
 */

/** Most of one ingredient the store may hold: keeps sums far from integer overflow. */
export const MAX_STOCK_QUANTITY = 1_000_000;
