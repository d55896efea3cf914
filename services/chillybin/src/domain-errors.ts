/** Domain errors, without a word of HTTP: answers.ts alone says what a client is told. */

export class InvalidPick extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPick';
  }
}

export { InvalidIdempotencyKey, KeyReused } from '@toasties/contract';

/** No answer to a COMMIT and none from asking afterwards: the write may have happened. */
export class OutcomeUnknown extends Error {
  constructor(options?: ErrorOptions) {
    super('the database did not confirm the write, and could not be asked whether it happened', options);
    this.name = 'OutcomeUnknown';
  }
}
