import type { RequestHandler } from 'express';

/**
 * Several middleware as one layer: each runs when the one before it calls next(), and the
 * first error (or the last one's next()) goes on to express, as if each had been added with
 * app.use() in this order. Why one layer: express 5's router does work of its own for every
 * layer on every request (matching the path, its parameters, a try/catch, a check for a
 * returned promise), and every request went through a dozen app-level layers before reaching
 * a route (docs/performance.md). What one of them throws or rejects with goes on as the error,
 * as express's router does it for a layer.
 */
export function inTurn(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      const handler = handlers[index++];
      // Falsy is "no error", as express reads next()'s argument.
      if (error || handler === undefined) return next(error);
      let returned: unknown;
      try {
        returned = handler(req, res, step);
      } catch (thrown) {
        return step(thrown);
      }
      if (returned instanceof Promise) returned.catch((rejected: unknown) => step(rejected || new Error('Rejected promise')));
    };
    step();
  };
}
