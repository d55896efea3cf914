import type { RequestHandler } from 'express';

export interface DeprecationOptions {
  /** When the endpoint was deprecated: `Deprecation: @<unix seconds>` (RFC 9745). */
  readonly deprecatedAt: Date;
  /** When it may stop answering: `Sunset: <HTTP-date>` (RFC 8594). */
  readonly sunsetAt: Date;
  /** What to use instead: `Link: <successor>; rel="successor-version"`. */
  readonly successor: string;
}

/** The three headers that tell a client, in machine-readable form, to move on. */
export function deprecationHeaders({ deprecatedAt, sunsetAt, successor }: DeprecationOptions): Record<string, string> {
  // RFC 9745 §3: a sunset before the deprecation makes no sense; refuse it up front.
  if (sunsetAt.getTime() < deprecatedAt.getTime()) throw new RangeError('the sunset must not come before the deprecation');
  return {
    Deprecation: `@${Math.floor(deprecatedAt.getTime() / 1000)}`,
    Sunset: sunsetAt.toUTCString(),
    Link: `<${successor}>; rel="successor-version"`,
  };
}

/** Middleware for a deprecated route: every answer, errors included (the 410 once it is gone), carries the headers. */
export function deprecated(options: DeprecationOptions): RequestHandler {
  const headers = deprecationHeaders(options);
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
