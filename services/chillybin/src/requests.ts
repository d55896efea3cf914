import * as z from 'zod';
import { INGREDIENT_NAME, INGREDIENT_NAME_SHAPE, MAX_PICK_QUANTITY } from '@toasties/contract';
import { HttpError } from '@toasties/http';
import { MAX_STOCK_QUANTITY } from './ingredient';
import type { StockLevels } from './store/store';


/** `?name=a&name=b` arrives as an array. */
function single(query: Record<string, unknown>, key: 'name' | 'quantity'): string {
  const value = query[key];
  if (value === undefined) throw new HttpError(`missing_${key}` as const, `the query parameter "${key}" is required`);
  if (typeof value !== 'string') throw new HttpError(`invalid_${key}` as const, `give "${key}" exactly once`);
  return value;
}

export function ingredientName(query: Record<string, unknown>): string {
  const name = single(query, 'name');
  if (!INGREDIENT_NAME.test(name)) {
    throw new HttpError('invalid_name', `an ingredient name is ${INGREDIENT_NAME_SHAPE}, starting with a letter`);
  }
  return name;
}

/** Digits only: "1e3", "+1", " 1", "1.0" and "-1" are all refused, not converted. */
export function pickQuantity(query: Record<string, unknown>): number {
  const raw = single(query, 'quantity');
  const quantity = /^[0-9]{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(quantity >= 1 && quantity <= MAX_PICK_QUANTITY)) {
    throw new HttpError('invalid_quantity', `quantity must be a whole number from 1 to ${MAX_PICK_QUANTITY}`);
  }
  return quantity;
}

const restockAmounts = z
  .record(z.string().regex(INGREDIENT_NAME), z.number().int().min(0).max(MAX_STOCK_QUANTITY))
  .refine((amounts) => Object.keys(amounts).length <= 100);

export function restockBody(body: unknown, defaults: Readonly<StockLevels>): StockLevels {
  if (body === undefined || (isPlainObject(body) && Object.keys(body).length === 0)) return { ...defaults };
  const parsed = restockAmounts.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(
      'invalid_restock',
      `the body must be an object of at most 100 ingredient names to whole numbers from 0 to ${MAX_STOCK_QUANTITY}, e.g. {"cheese": 10}`,
    );
  }
  return parsed.data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
