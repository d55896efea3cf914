import * as z from 'zod';

// The caller decodes with these, so an answer of another shape is refused where it arrives.
export const ERROR_ANSWER = z.looseObject({ error: z.string(), message: z.string() });

const PICK_ITEM = z.object({ ingredient: z.string(), quantity: z.number().int() });

export const ORDER_ANSWER = z.object({
  order: z.object({ id: z.string(), customer: z.string(), items: z.array(PICK_ITEM), createdAt: z.string() }),
});
