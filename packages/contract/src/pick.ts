export const MAX_PICK_QUANTITY = 1000;
export const MAX_PICK_ITEMS = 20;

export interface PickItem {
  readonly ingredient: string;
  readonly quantity: number;
}

/** Opaque to chillybin, which binds an Idempotency-Key to it too: a caller whose request holds more than
 * the pick sends a digest of all of it, so a retry under the same key changing only that part is refused. */
export const REQUEST_FINGERPRINT = /^[A-Za-z0-9._:+/=-]{1,128}$/;
export const REQUEST_FINGERPRINT_SHAPE = '1-128 letters, digits or any of ._:+/=-';

export interface PickRequest {
  readonly customer: string;
  readonly items: readonly PickItem[];
  readonly requestFingerprint?: string;
}

export interface Order {
  /** A UUID v7 (v4 for the oldest orders) in lower case, never a row number. */
  readonly id: string;
  readonly customer: string;
  readonly items: readonly PickItem[];
  readonly createdAt: string;
}

export interface OrderAnswer {
  readonly order: Order;
}
