import * as z from 'zod';
import { CUSTOMER_NAME, CUSTOMER_NAME_SHAPE, INGREDIENT_NAME, INGREDIENT_NAME_SHAPE, MAX_PICK_ITEMS, MAX_PICK_QUANTITY, REQUEST_FINGERPRINT, REQUEST_FINGERPRINT_SHAPE, type PickRequest } from '@toasties/contract';
import { InvalidPick } from './domain-errors';

/** Strict: an unknown field such as a typo ("quantitiy") is refused, not silently defaulted. */
const quantityError = { error: `quantity must be a whole number from 1 to ${MAX_PICK_QUANTITY}` };

const pickRequest: z.ZodType<PickRequest> = z.strictObject({
  customer: z.string({ error: 'customer must be a string' }).regex(CUSTOMER_NAME, { error: `customer must be ${CUSTOMER_NAME_SHAPE}` }),
  items: z
    .array(
      z.strictObject({
        ingredient: z.string({ error: 'ingredient must be a string' }).regex(INGREDIENT_NAME, { error: `ingredient must be ${INGREDIENT_NAME_SHAPE}` }),
        quantity: z.number(quantityError).int(quantityError).min(1, quantityError).max(MAX_PICK_QUANTITY, quantityError),
      }, { error: 'each item must be {"ingredient": "...", "quantity": n} and nothing else' }),
      { error: 'items must be a list' },
    )
    .min(1, { error: 'items must hold at least one item' })
    .max(MAX_PICK_ITEMS, { error: `items must hold at most ${MAX_PICK_ITEMS} items` })
    .refine((items) => new Set(items.map((item) => item.ingredient)).size === items.length, { error: 'each ingredient may appear once; add up its quantities' }),
  // Absent from the parsed pick when not sent, so the fingerprint stays what it was without it.
  requestFingerprint: z
    .string({ error: 'requestFingerprint must be a string' })
    .regex(REQUEST_FINGERPRINT, { error: `requestFingerprint must be ${REQUEST_FINGERPRINT_SHAPE}` })
    .optional(),
}, { error: 'the body must be {"customer": "...", "items": [{"ingredient": "...", "quantity": n}]}' });

export function parsePickRequest(body: unknown): PickRequest {
  const parsed = pickRequest.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  const message = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}` : issue.message;
  throw new InvalidPick(`${where}${message}`);
}
