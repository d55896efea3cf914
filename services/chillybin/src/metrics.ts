import { Counter, Gauge, type Registry } from 'prom-client';
import { UnknownIngredient } from '@toasties/contract';
import { databaseFault } from './database-faults';
import type { Outcome } from './pick';
import type { StockLevels } from './store/store';

export type PickApi = 'v1' | 'v2';
/** "invalid": refused before reaching the stock; "failed": a database fault; "outcome_unknown": may have been written. */
export type PickResult = 'picked' | 'out_of_stock' | 'unknown_ingredient' | 'invalid' | 'gone' | 'replayed' | 'failed' | 'outcome_unknown';

export function pickResult(outcome: Outcome): PickResult {
  switch (outcome.kind) {
    case 'placed':
    case 'picked':
      return 'picked';
    case 'short':
      return 'out_of_stock';
    case 'replayed':
      return 'replayed';
    case 'refused':
      return outcome.reason instanceof UnknownIngredient ? 'unknown_ingredient' : 'invalid';
    case 'unknown':
      return 'outcome_unknown';
  }
}

export function failedPickResult(error: unknown): PickResult | undefined {
  return databaseFault(error) ? 'failed' : undefined;
}

export interface ChillybinMetrics {
  pick(api: PickApi, result: PickResult): void;
}

export function createChillybinMetrics(registry: Registry, stockLevels: () => Promise<StockLevels>): ChillybinMetrics {
  const picks = new Counter({ name: 'chillybin_picks_total', help: 'Picks by API version and result', labelNames: ['api', 'result'], registers: [registry] });
  new Gauge({
    name: 'chillybin_stock_level',
    help: 'Units in stock per ingredient, read at scrape time',
    labelNames: ['ingredient'],
    registers: [registry],
    async collect() {
      // Every worker shares the database: the cluster aggregation keeps one value, not the sum.
      let levels;
      try {
        levels = await stockLevels();
      } catch (error) {
        // The database down is when /metrics matters most: the stock is left out, not shown stale.
        if (!databaseFault(error)) throw error;
        this.reset();
        return;
      }
      for (const [ingredient, quantity] of Object.entries(levels)) this.set({ ingredient }, quantity);
    },
    aggregator: 'first',
  });
  return { pick: (api, result) => picks.inc({ api, result }) };
}
