import { z } from 'zod';

/**
 * The answers one service reads from the other, as schemas: the caller decodes with these,
 * so an answer of another shape is refused where it arrives, never cast and trusted.
 */

/** An error answer: `error` and `message`, then details such as `ingredient`. */
export const ERROR_ANSWER = z.looseObject({ error: z.string(), message: z.string() });

const PICK_ITEM = z.object({ ingredient: z.string(), quantity: z.number().int() });

/** POST /v2/pick's 201 and GET /v2/orders/:id's 200 (the Order type in pick.ts). */
export const ORDER_ANSWER = z.object({
  order: z.object({ id: z.string(), customer: z.string(), items: z.array(PICK_ITEM), createdAt: z.string() }),
});
