import type { RequestHandler } from 'express';

/**
 * Several middleware as one layer: each runs when the one before it calls next(), and the
 * first error (or the last one's next()) goes on to express, as if each had been added with
 * app.use() in this order. Why one layer: express 5's router does work of its own for every
 * layer on every request (matching the path, its parameters, a try/catch, a check for a
 * returned promise), and every request went through a dozen app-level layers before reaching
 * a route (docs/performance.md). A handler that throws is caught by express, as before: the
 * throw reaches the one layer's try/catch.
 */
export function inTurn(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      const handler = handlers[index++];
      // Falsy is "no error", as express reads next()'s argument.
      if (error || handler === undefined) return next(error);
      void handler(req, res, step);
    };
    step();
  };
}
