/**
 * Names that cross the wire between jafflr, chillybin and the flags, and their one rule each.
 * Both services check a name before it reaches SQL, a log line or the other service, so the
 * rule must be the same everywhere: a name jafflr accepts is one chillybin accepts.
 */

/** An ingredient: lower-case letters and hyphens, starting with a letter, at most 32 characters. */
export const INGREDIENT_NAME = /^[a-z][a-z-]{0,31}$/;
/** The rule in words, for error messages ("… must be <this>"). */
export const INGREDIENT_NAME_SHAPE = '1-32 lower-case letters or hyphens';

/** A customer: a letter or digit, then letters, digits, dots, underscores, @ or hyphens; 1-64 characters. */
export const CUSTOMER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** The rule in words, for error messages. */
export const CUSTOMER_NAME_SHAPE = '1-64 letters, digits, dots, underscores, @ or hyphens';

export function isIngredientName(value: unknown): value is string {
  return typeof value === 'string' && INGREDIENT_NAME.test(value);
}

export function isCustomerName(value: unknown): value is string {
  return typeof value === 'string' && CUSTOMER_NAME.test(value);
}
