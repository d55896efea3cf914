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

/**
 * A caller's own fingerprint of the request it is making, sent as `requestFingerprint`: opaque
 * to chillybin, which binds an Idempotency-Key to it as well as to the customer and the items.
 * A caller whose request holds more than the pick (jafflr's toastie has a doneness) sends a
 * digest of all of it, so that a retry under the same key that changes only that part is
 * refused rather than replayed. Letters, digits and `._:+/=-`, 1-128 characters.
 */
export const REQUEST_FINGERPRINT = /^[A-Za-z0-9._:+/=-]{1,128}$/;
/** The rule in words, for error messages. */
export const REQUEST_FINGERPRINT_SHAPE = '1-128 letters, digits or any of ._:+/=-';

/** The body of POST /v2/pick. */
export interface PickRequest {
  readonly customer: string;
  readonly items: readonly PickItem[];
  /** Optional (REQUEST_FINGERPRINT); without it a key is bound to the customer and the items alone. */
  readonly requestFingerprint?: string;
}

/** What a pick became: the body of a 201 from POST /v2/pick, and of GET /v2/orders/:id. */
export interface Order {
  /** The order's public id, a random UUID v4 in lower case (never a row number). */
  readonly id: string;
  readonly customer: string;
  readonly items: readonly PickItem[];
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

export interface OrderAnswer {
  readonly order: Order;
}
