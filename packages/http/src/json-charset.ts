import { format, parse } from 'content-type';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** utf-8 however it is spelt: UTF-8, utf8, UTF8 … */
const UTF8 = /^utf-?8$/i;

/**
 * JSON is UTF-8 (RFC 8259 §8.1). A JSON body may name no charset or UTF-8 in any spelling;
 * anything else is 415 before a decoder sees the bytes. The JSON parser alone took any
 * charset starting "utf-" (a tomato was picked through UTF-7) and refused "utf8". The
 * accepted spellings are rewritten to "utf-8", the one the parser knows.
 */
export const requireUtf8Json: RequestHandler = (req, _res, next) => {
  const header = req.headers['content-type'];
  if (header === undefined || !req.is('application/json')) return next();
  let parsed;
  try {
    parsed = parse(header);
  } catch {
    return next(new HttpError('unsupported_media_type', 'the Content-Type header could not be parsed; send application/json'));
  }
  const { charset } = parsed.parameters;
  if (charset === undefined) return next();
  if (!UTF8.test(charset)) {
    return next(new HttpError('unsupported_charset', `JSON is UTF-8; charset ${JSON.stringify(charset)} is not accepted`));
  }
  req.headers['content-type'] = format({ type: parsed.type, parameters: { ...parsed.parameters, charset: 'utf-8' } });
  next();
};
