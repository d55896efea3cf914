import { Counter, Histogram, type Registry } from 'prom-client';
import { DURATION_BUCKETS } from '@toasties/observability';

/** `replayed`: answered from an earlier request with the same Idempotency-Key. */
export type ToastieResult = 'made' | 'replayed' | 'invalid' | 'out_of_stock' | 'chillybin_unavailable' | 'chillybin_timeout' | 'error';

export interface JafflrMetrics {
  toastie(doneness: string, result: ToastieResult): void;
  chillybinCall(operation: string, outcome: string, seconds: number): void;
}

/** No customer name is ever a label: one series per customer would explode. */
export function createJafflrMetrics(registry: Registry): JafflrMetrics {
  const toasties = new Counter({ name: 'jafflr_toasties_total', help: 'Toastie requests by doneness and result', labelNames: ['doneness', 'result'], registers: [registry] });
  const calls = new Histogram({
    name: 'jafflr_chillybin_request_duration_seconds',
    help: 'Calls from jafflr to the chillybin',
    labelNames: ['operation', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    toastie: (doneness, result) => toasties.inc({ doneness, result }),
    chillybinCall: (operation, outcome, seconds) => calls.observe({ operation, outcome }, seconds),
  };
}

/** For tests and tools that build the parts without a registry. */
export const uncounted: JafflrMetrics = { toastie: () => undefined, chillybinCall: () => undefined };
