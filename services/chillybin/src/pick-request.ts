import { z } from 'zod';
import { HttpError } from '@toasties/http';
import { INGREDIENT_NAME, MAX_PICK_QUANTITY } from './ingredient';

/** The customer a v2 pick is for: what jafflr accepts, 1-64 characters. */
export const CUSTOMER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MAX_PICK_ITEMS = 20;

/**
 * The body of POST /v2/pick, checked strictly: an unknown field is refused rather than
 * ignored, so a typo ("quantitiy") is a 400 and not a silent default.
 */
const quantityError = { error: `quantity must be a whole number from 1 to ${MAX_PICK_QUANTITY}` };

const pickRequest = z.strictObject({
  customer: z.string({ error: 'customer must be a string' }).regex(CUSTOMER_NAME, { error: 'customer must be 1-64 letters, digits, dots, underscores, @ or hyphens' }),
  items: z
    .array(
      z.strictObject({
        ingredient: z.string({ error: 'ingredient must be a string' }).regex(INGREDIENT_NAME, { error: 'ingredient must be 1-32 lower-case letters or hyphens' }),
        quantity: z.number(quantityError).int(quantityError).min(1, quantityError).max(MAX_PICK_QUANTITY, quantityError),
      }, { error: 'each item must be {"ingredient": "...", "quantity": n} and nothing else' }),
      { error: 'items must be a list' },
    )
    .min(1, { error: 'items must hold at least one item' })
    .max(MAX_PICK_ITEMS, { error: `items must hold at most ${MAX_PICK_ITEMS} items` })
    .refine((items) => new Set(items.map((item) => item.ingredient)).size === items.length, { error: 'each ingredient may appear once; add up its quantities' }),
}, { error: 'the body must be {"customer": "...", "items": [{"ingredient": "...", "quantity": n}]}' });

export type PickRequest = z.output<typeof pickRequest>;

/** Parse a v2 pick body; anything off is a 400 naming the first problem and where it is. */
export function parsePickRequest(body: unknown): PickRequest {
  const parsed = pickRequest.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  const message = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}` : issue.message;
  throw new HttpError('invalid_pick', `${where}${message}`);
}
