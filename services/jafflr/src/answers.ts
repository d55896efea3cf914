import type { ErrorRequestHandler } from 'express';
import { InvalidIdempotencyKey, KeyReused, OutOfStock } from '@toasties/contract';
import { HttpError } from '@toasties/http';
import { ChillybinOutcomeUnknown, ChillybinTimeout, ChillybinUnavailable } from './chillybin-client';
import { InvalidToastie } from './toastie-order';

/** The one place that says what someone waiting for a toastie is told for each domain error. */
export function answerTo(error: unknown): HttpError | undefined {
  if (error instanceof InvalidToastie) return new HttpError(error.problem, error.message);
  if (error instanceof InvalidIdempotencyKey) return new HttpError('invalid_idempotency_key', error.message);
  if (error instanceof KeyReused) return new HttpError('idempotency_key_reused', 'this Idempotency-Key was already used with a different toastie; use a new key');
  if (error instanceof OutOfStock) return new HttpError('out_of_stock', `sorry, we are out of ${error.ingredient}`);
  if (error instanceof ChillybinTimeout) return new HttpError('chillybin_timeout', error.message);
  // Not "try again": the ingredients may have been taken (no Retry-After).
  if (error instanceof ChillybinOutcomeUnknown) return new HttpError('outcome_unknown', `${error.message}: the toastie was not made, and its ingredients may have been taken`);
  // The chillybin's own Retry-After when it gave one: a client told "1" would only be refused again.
  if (error instanceof ChillybinUnavailable) return new HttpError('chillybin_unavailable', error.message, { headers: { 'Retry-After': String(error.retryAfterSeconds ?? 1) } });
  return undefined;
}

export const errorAnswers: ErrorRequestHandler = (error: unknown, _req, _res, next) => next(answerTo(error) ?? error);
