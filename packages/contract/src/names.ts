// One rule per name, the same everywhere: a name jafflr accepts is one chillybin accepts.
export const INGREDIENT_NAME = /^[a-z][a-z-]{0,31}$/;
export const INGREDIENT_NAME_SHAPE = '1-32 lower-case letters or hyphens';

export const CUSTOMER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const CUSTOMER_NAME_SHAPE = '1-64 letters, digits, dots, underscores, @ or hyphens';

export function isIngredientName(value: unknown): value is string {
  return typeof value === 'string' && INGREDIENT_NAME.test(value);
}

export function isCustomerName(value: unknown): value is string {
  return typeof value === 'string' && CUSTOMER_NAME.test(value);
}
