import { CUSTOMER_NAME_SHAPE, INGREDIENT_NAME_SHAPE, isCustomerName, isIngredientName, type ErrorCode } from '@toasties/contract';
import { DONENESS, type Doneness } from './cook';

/** Checked: nothing is taken from the chillybin before this passes. */
export interface ToastieOrder {
  readonly ingredients: readonly string[];
  readonly doneness: Doneness;
  readonly customer: string;
}

export const MAX_INGREDIENTS = 10;
/** Either counts as the cheese a toastie must have ("sheese" is soy cheese). */
export const CHEESES: readonly string[] = ['cheese', 'sheese'];
export const DEFAULT_DONENESS: Doneness = 'medium';
export const DEFAULT_CUSTOMER = 'anonymous';
export const TOASTIE_FIELDS: readonly string[] = ['i', 'ingredients', 'doneness', 'customer'];

export type ToastieProblem = Extract<ErrorCode, 'no_ingredients' | 'too_many_ingredients' | 'invalid_ingredient' | 'invalid_ingredients' | 'no_cheese' | 'invalid_doneness' | 'invalid_customer'>;

export class InvalidToastie extends Error {
  constructor(
    readonly problem: ToastieProblem,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidToastie';
  }
}

const invalid = (problem: ToastieProblem, message: string) => new InvalidToastie(problem, message);

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function optionalString(fields: Record<string, unknown>, key: 'doneness' | 'customer', fallback: string): string {
  const value = fields[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalid(`invalid_${key}` as const, `give "${key}" once, as a string`);
  return value;
}

/** `i` or `ingredients`, from the query string or a JSON body with the same fields. */
export function parseToastieOrder(fields: Record<string, unknown>): ToastieOrder {
  if (fields.i !== undefined && fields.ingredients !== undefined) {
    throw invalid('invalid_ingredients', 'give the ingredients as "i" or as "ingredients", not both');
  }
  const ingredients = list(fields.i ?? fields.ingredients);
  if (ingredients.length === 0) throw invalid('no_ingredients', 'a toastie needs at least one ingredient, e.g. ?i=cheese');
  if (ingredients.length > MAX_INGREDIENTS) throw invalid('too_many_ingredients', `at most ${MAX_INGREDIENTS} ingredients fit in a toastie`);
  for (const ingredient of ingredients) {
    if (!isIngredientName(ingredient)) throw invalid('invalid_ingredient', `an ingredient name is ${INGREDIENT_NAME_SHAPE}, starting with a letter`);
  }
  const names = ingredients as string[];
  if (!names.some((name) => CHEESES.includes(name))) throw invalid('no_cheese', 'a toastie without cheese is just hot bread: add i=cheese');

  const doneness = optionalString(fields, 'doneness', DEFAULT_DONENESS);
  if (!(DONENESS as readonly string[]).includes(doneness)) {
    throw invalid('invalid_doneness', `doneness is one of ${DONENESS.join(', ')}`);
  }
  const customer = optionalString(fields, 'customer', DEFAULT_CUSTOMER);
  if (!isCustomerName(customer)) throw invalid('invalid_customer', `a customer is ${CUSTOMER_NAME_SHAPE}`);
  return { ingredients: names, doneness: doneness as Doneness, customer };
}
