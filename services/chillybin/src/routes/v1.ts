import { Router, type Request, type Response } from 'express';
import { HttpError, methodNotAllowed, requireJsonBody } from '@toasties/http';
import { DEFAULT_STOCK } from '../default-stock';
import { ingredientName, pickQuantity, restockBody } from '../requests';
import type { Stock } from '../stock';

/** The original API: stock levels, one-ingredient picks, restock. */
export function v1Routes(stock: Stock): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json(stock.levels());
  });

  // GET and POST both pick: old clients used GET, which is why v2 exists (see docs/foxtrot.md).
  const pick = (req: Request, res: Response) => {
    const name = ingredientName(req.query);
    const quantity = pickQuantity(req.query);
    const outcome = stock.pick(name, quantity);
    if (outcome === 'unknown') throw new HttpError(410, 'unknown_ingredient', `the chillybin has no ${name}`);
    if (outcome === 'not_enough') throw new HttpError(410, 'out_of_stock', `not enough ${name} for ${quantity}`);
    res.type('text/plain').send('ok');
  };
  router.get('/pick', pick);
  router.post('/pick', pick);
  router.all('/pick', methodNotAllowed('GET', 'POST'));

  router.post('/restock', requireJsonBody, (req, res) => {
    res.json(stock.restock(restockBody(req.body, DEFAULT_STOCK)));
  });
  router.all('/restock', methodNotAllowed('POST'));

  return router;
}
