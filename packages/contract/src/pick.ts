/**
 * POST /v2/pick, as jafflr sends it and chillybin takes it: a customer and the items of one
 * order, taken all at once. Types only: chillybin validates the body (its pick-request.ts,
 * against these limits and the name rules in names.ts), jafflr builds it.
 */

/** Most of one ingredient a single pick may take (v1 and v2). */
export const MAX_PICK_QUANTITY = 1000;
/** Most items one v2 pick may hold; each ingredient appears once. */
export const MAX_PICK_ITEMS = 20;

/** One ingredient of a pick, or of the order it became. */
export interface PickItem {
  readonly ingredient: string;
  readonly quantity: number;
}

/** The body of POST /v2/pick. */
export interface PickRequest {
  readonly customer: string;
  readonly items: readonly PickItem[];
}

/** What a pick became: the body of a 201 from POST /v2/pick, and of GET /v2/orders/:id. */
export interface Order {
  /** The order's public id, a UUID v7 (a v4 for orders placed before those) in lower case (never a row number). */
  readonly id: string;
  readonly customer: string;
  readonly items: readonly PickItem[];
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

export interface OrderAnswer {
  readonly order: Order;
}
