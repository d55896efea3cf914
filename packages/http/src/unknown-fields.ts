import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const listed = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(', '));

/**
 * A field no one reads is refused, never ignored: a typo ("donenes") must be a 400 naming
 * it, not a toastie made with the default. `where` says which part of the request it is in.
 */
export function refuseUnknownFields(fields: object, known: readonly string[], where: 'body' | 'query string'): void {
  const unknown = Object.keys(fields).find((name) => !known.includes(name));
  if (unknown === undefined) return;
  throw new HttpError('unknown_field', `unknown field ${JSON.stringify(unknown)} in the ${where}; the known fields are: ${listed(known)}`);
}

/** For a route that reads its query string: only these parameters (none, if none are given). */
export function onlyQueryParameters(...known: string[]): RequestHandler {
  return (req, _res, next) => {
    refuseUnknownFields(req.query, known, 'query string');
    next();
  };
}
