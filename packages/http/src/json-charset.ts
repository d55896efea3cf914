import { format, parse } from 'content-type';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const UTF8 = /^utf-?8$/i;

/** JSON is UTF-8 (RFC 8259 §8.1). body-parser alone takes any charset starting "utf-" (UTF-7 too) and
 * refuses "utf8": other charsets are 415 here, and UTF-8's spellings become "utf-8", the one it knows. */
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
