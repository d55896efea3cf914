import type { RequestHandler } from 'express';

export interface DeprecationOptions {
  /** When the endpoint was deprecated: `Deprecation: @<unix seconds>` (RFC 9745). */
  readonly deprecatedAt: Date;
  /** When it may stop answering: `Sunset: <HTTP-date>` (RFC 8594). */
  readonly sunsetAt: Date;
  /** What to use instead: `Link: <successor>; rel="successor-version"`. */
  readonly successor: string;
}

export function deprecationHeaders({ deprecatedAt, sunsetAt, successor }: DeprecationOptions): Record<string, string> {
  if (sunsetAt.getTime() < deprecatedAt.getTime()) throw new RangeError('the sunset must not come before the deprecation');
  return {
    Deprecation: `@${Math.floor(deprecatedAt.getTime() / 1000)}`,
    Sunset: sunsetAt.toUTCString(),
    Link: `<${successor}>; rel="successor-version"`,
  };
}

/** Every answer carries the headers, errors included (the 410 once it is gone). */
export function deprecated(options: DeprecationOptions): RequestHandler {
  const headers = deprecationHeaders(options);
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
