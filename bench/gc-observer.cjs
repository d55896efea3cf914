// Preloaded into a service by gc-pauses.mjs: the first SIGUSR2 starts counting V8's
// collections and the event loop's delay, the second writes them to GC_OBSERVER_OUT.
const { writeFileSync } = require('node:fs');
const { constants, monitorEventLoopDelay, PerformanceObserver } = require('node:perf_hooks');

const KINDS = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact', [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks' };
const delay = monitorEventLoopDelay({ resolution: 5 });
let pauses;
new PerformanceObserver((list) => {
  if (!pauses) return;
  for (const entry of list.getEntries()) {
    const kind = KINDS[entry.detail.kind] ?? 'other';
    (pauses[kind] ??= []).push(entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

const round = (ms) => Math.round(ms * 10) / 10;
process.on('SIGUSR2', () => {
  if (!pauses) {
    pauses = {};
    delay.enable();
    return;
  }
  delay.disable();
  const gc = Object.fromEntries(
    Object.entries(pauses).map(([kind, durations]) => {
      durations.sort((a, b) => a - b);
      const totalMs = durations.reduce((sum, ms) => sum + ms, 0);
      return [kind, { count: durations.length, totalMs: Math.round(totalMs), p50Ms: round(durations[durations.length >> 1]), maxMs: round(durations[durations.length - 1]) }];
    }),
  );
  writeFileSync(process.env.GC_OBSERVER_OUT, JSON.stringify({ gc, eventLoopP99Ms: round(delay.percentile(99) / 1e6), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
  pauses = undefined;
});
