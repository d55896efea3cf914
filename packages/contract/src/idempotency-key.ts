/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header), read the same way by
 * both services: chillybin on POST /v2/pick, jafflr on POST /toastie. A client sends a unique
 * key with a POST; a retry with the same key gets the first answer again and changes nothing.
 */

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** An Idempotency-Key header that is neither a quoted nor a bare key. */
export class InvalidIdempotencyKey extends Error {
  constructor(readonly maxLength: number = MAX_IDEMPOTENCY_KEY_LENGTH) {
    super(`Idempotency-Key must be 1-${maxLength} visible ASCII characters, quoted ("...") or bare`);
    this.name = 'InvalidIdempotencyKey';
  }
}

/** The customer used this key before for another request; nothing was done. */
export class KeyReused extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request; use a new key');
    this.name = 'KeyReused';
  }
}

const BARE = /^[\x21\x23-\x7e]+$/; // visible ASCII, no spaces or quotes
const QUOTED = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/; // an sf-string (RFC 8941 §3.3.3)

/**
 * The key from the header: the draft's form is a quoted structured-field string
 * (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`); many clients send it bare, so both are taken.
 * No header: undefined (the key is optional). A malformed one: InvalidIdempotencyKey.
 */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const quoted = QUOTED.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE.test(header) ? header : undefined;
  if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new InvalidIdempotencyKey();
  return key;
}
