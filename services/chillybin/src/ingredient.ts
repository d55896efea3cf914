/**
 * The shape of an ingredient name, checked before any name reaches SQL or a log line:
 * lower-case letters and hyphens, starting with a letter, at most 32 characters.
 */
export const INGREDIENT_NAME = /^[a-z][a-z-]{0,31}$/;

/** Most of one ingredient a single pick may take. */
export const MAX_PICK_QUANTITY = 1000;

/** Most of one ingredient the store may hold: keeps sums far from integer overflow. */
export const MAX_STOCK_QUANTITY = 1_000_000;
