/** Set by the operator, in NODE_OPTIONS or on the command line, it is theirs to keep. */
const SEMI_SPACE_FLAG = /^--max[-_]semi[-_]space[-_]size\b/;

/**
 * What a worker's young generation may grow to, in MB per semi-space. A worker's requests allocate
 * fast enough to grow V8's default to its 16 MB maximum; 8 MB holds less memory for the same CPU
 * per request, and less than that costs CPU in scavenges (docs/performance.md, "Memory").
 */
export const WORKER_SEMI_SPACE_MB = 8;

/** The node flags a worker starts with: the primary's own, and the young generation's bound. */
export function workerNodeArgs(execArgv: readonly string[], nodeOptions = ''): string[] {
  const chosen = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => SEMI_SPACE_FLAG.test(arg));
  return chosen ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
}
