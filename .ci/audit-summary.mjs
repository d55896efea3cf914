// Reads `npm audit --omit=dev --json` on stdin; exits 1 on any high or critical advisory.
// No report (the advisory endpoint errored or could not be reached) is "skipped", not a pass.
let text = '';
for await (const chunk of process.stdin) text += chunk;
let report = {};
try {
  report = JSON.parse(text);
} catch {
  // not JSON: npm printed nothing useful
}
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  console.log(`audit: skipped: advisory endpoint unreachable (${report.message ?? 'no report'})`);
} else {
  console.log(`audit: ${counts.critical} critical, ${counts.high} high, ${counts.moderate} moderate, ${counts.low} low in production dependencies`);
  if (counts.high + counts.critical > 0) {
    console.log('audit: FAIL (run npm audit --omit=dev to see them)');
    process.exit(1);
  }
}
