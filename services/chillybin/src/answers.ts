import type { ErrorRequestHandler } from 'express';
import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import { HttpError } from '@toasties/http';
import { databaseFault, type DatabaseFault } from './database-faults';
import { InvalidIdempotencyKey, InvalidPick, KeyReused, OutcomeUnknown } from './domain-errors';
import type { Outcome } from './pick';

/** The one place that says what a client is told for each domain error; the domain knows no HTTP. */
type Answer<E extends Error> = readonly [new (...args: never[]) => E, (error: E) => HttpError];
const answer = <E extends Error>(type: Answer<E>[0], to: Answer<E>[1]): Answer<Error> => [type, to as Answer<Error>[1]];

const CATALOGUE: readonly Answer<Error>[] = [
  answer(OutOfStock, (error) => new HttpError('out_of_stock', error.message, { details: { ingredient: error.ingredient } })),
  answer(UnknownIngredient, (error) => new HttpError('unknown_ingredient', error.message, { details: { ingredient: error.ingredient } })),
  answer(InvalidPick, (error) => new HttpError('invalid_pick', error.message)),
  answer(InvalidIdempotencyKey, (error) => new HttpError('invalid_idempotency_key', error.message)),
  answer(KeyReused, (error) => new HttpError('idempotency_key_reused', error.message)),
  // No Retry-After: sent again without a key, the pick could happen twice.
  answer(OutcomeUnknown, () => new HttpError('outcome_unknown', OUTCOME_UNKNOWN_MESSAGE)),
];

const OUTCOME_UNKNOWN_MESSAGE =
  'the database did not confirm the write and could not be asked: it may have happened; check the stock (GET /) before picking again, or send the same request with the same Idempotency-Key';

/** Retry-After: a lock passes in moments, space takes someone. */
function faultAnswer(fault: DatabaseFault, error: Error): HttpError {
  switch (fault) {
    case 'busy':
      return new HttpError('database_busy', 'the database is locked by another process; nothing was changed, try again', { headers: { 'Retry-After': '1' } });
    case 'full':
      return new HttpError('storage_full', `the database cannot grow (${error.message}); nothing was changed`, { headers: { 'Retry-After': '30' } });
    case 'unavailable':
      return new HttpError('database_unavailable', 'the database cannot be read or written; nothing was changed, and it has been logged', { headers: { 'Retry-After': '30' } });
  }
}

export function answerTo(error: unknown): HttpError | undefined {
  const fault = databaseFault(error);
  if (fault) return faultAnswer(fault, error as Error);
  const found = CATALOGUE.find(([type]) => error instanceof type);
  return found?.[1](error as Error);
}

/** Undefined for a success; a replay answers as the outcome it replays. */
export function outcomeAnswer(outcome: Outcome): HttpError | undefined {
  switch (outcome.kind) {
    case 'short':
      return answerTo(outcome.shortage);
    case 'refused':
      return answerTo(outcome.reason);
    case 'unknown':
      return answerTo(outcome.cause);
    case 'replayed':
      return outcomeAnswer(outcome.outcome);
    default:
      return undefined;
  }
}

/** v1: a shortage or refusal passes on as the domain error, for v1PickAnswers' 410s. */
export function v1OutcomeAnswer(outcome: Outcome): Error | undefined {
  if (outcome.kind === 'short') return outcome.shortage;
  if (outcome.kind === 'refused') return outcome.reason;
  return outcomeAnswer(outcome);
}

/** v1 /pick's answers as its clients know them: 410, the ingredient only in the message. */
export const v1PickAnswers: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  if (error instanceof OutOfStock) return next(new HttpError('out_of_stock', `not enough ${error.ingredient} for ${error.wanted}`, { status: 410 }));
  if (error instanceof UnknownIngredient) return next(new HttpError('unknown_ingredient', error.message, { status: 410 }));
  next(error);
};

interface Logger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** A database fault is also logged: it is the operator's business. */
export function errorAnswers(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, _res, next) => {
    const fault = databaseFault(error);
    if (fault) {
      const details = { err: error, fault, method: req.method, url: req.originalUrl };
      if (fault === 'busy') logger.warn(details, 'database busy: request refused');
      else logger.error(details, `database ${fault}: request refused`);
    }
    next(answerTo(error) ?? error);
  };
}
