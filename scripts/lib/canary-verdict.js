#!/usr/bin/env node
// Decides a canary from the service's own metrics: scrape /metrics now and after
// <seconds>, count each version's requests and server errors in between, and compare the
// canary's error rate with the rest's. Prints the figures; exits 0 to promote, 1 to abort,
// 2 when there was too little traffic to tell (the caller aborts: no evidence, no promotion).
//   node scripts/lib/canary-verdict.js <service-url> <canary-version> <seconds>
'use strict';

const MIN_REQUESTS = 20; // fewer canary requests than this prove nothing
const TOLERANCE = 0.01; // the canary may fail this much more often than the rest

/** { version: { total, errors } } from a Prometheus text exposition's http_requests_total. */
function countsByVersion(text) {
  const counts = {};
  for (const line of text.split('\n')) {
    const match = /^http_requests_total\{([^}]*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const entry = (counts[labels.version] ??= { total: 0, errors: 0 });
    entry.total += Number(match[2]);
    if (/^5/.test(labels.status_code)) entry.errors += Number(match[2]);
  }
  return counts;
}

/** What happened between two scrapes, split into the canary and everyone else. */
function verdict(before, after, canary) {
  const delta = { canary: { total: 0, errors: 0 }, rest: { total: 0, errors: 0 } };
  for (const [version, now] of Object.entries(after)) {
    const then = before[version] ?? { total: 0, errors: 0 };
    const side = version === canary ? delta.canary : delta.rest;
    side.total += now.total - then.total;
    side.errors += now.errors - then.errors;
  }
  const rate = (side) => (side.total === 0 ? 0 : side.errors / side.total);
  const decision = delta.canary.total < MIN_REQUESTS ? 'inconclusive' : rate(delta.canary) <= rate(delta.rest) + TOLERANCE ? 'promote' : 'abort';
  return { decision, canary: { ...delta.canary, rate: rate(delta.canary) }, rest: { ...delta.rest, rate: rate(delta.rest) } };
}

async function main([url, canary, seconds]) {
  const scrape = async () => countsByVersion(await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text());
  const before = await scrape();
  await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
  const result = verdict(before, await scrape(), canary);
  const pct = (side) => `${side.errors}/${side.total} errors (${(side.rate * 100).toFixed(1)} %)`;
  console.error(`canary ${canary}: ${pct(result.canary)}; the rest: ${pct(result.rest)} → ${result.decision}`);
  return { promote: 0, abort: 1, inconclusive: 2 }[result.decision];
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
    console.error(`canary-verdict: ${error.message}`);
    process.exit(2);
  });
}
module.exports = { countsByVersion, verdict };
