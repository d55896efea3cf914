export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export class InvalidIdempotencyKey extends Error {
  constructor(readonly maxLength: number = MAX_IDEMPOTENCY_KEY_LENGTH) {
    super(`Idempotency-Key must be 1-${maxLength} visible ASCII characters, quoted ("...") or bare`);
    this.name = 'InvalidIdempotencyKey';
  }
}

export class KeyReused extends Error {
  constructor() {
    super('this Idempotency-Key was already used with a different request; use a new key');
    this.name = 'KeyReused';
  }
}

const BARE = /^[\x21\x23-\x7e]+$/;
const QUOTED = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/; // an sf-string (RFC 8941 §3.3.3)

/** The draft's form is a quoted sf-string; many clients send the key bare, so both are taken. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const quoted = QUOTED.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE.test(header) ? header : undefined;
  if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new InvalidIdempotencyKey();
  return key;
}
