/**
 * How a service is deployed, described once: the `deploy` block of services/<name>/package.json.
 * Every delivery script reads it through scripts/lib/services.mjs (type-checked against this),
 * so a new service needs no script edited (docs/adding-a-service.md).
 *
 *   "deploy": {
 *     "port": { "variable": "CHILLYBIN_PORT", "default": 7001 },
 *     "calls": [],
 *     "env": { "DATABASE_PATH": "{dir}/data/chillybin.db" },
 *     "backup": { "file": "DATABASE_PATH", "command": ["node", "dist/backup-cli.js", "backup"] },
 *     "migrate": ["node", "dist/migrate-cli.js", "up"]
 *   }
 */
export interface ServiceDeployment {
  /** The setting that chooses its port on one host (npm run deploy), and the port without it. */
  readonly port: { readonly variable: string; readonly default: number };
  /**
   * The services it calls over HTTP (no package dependency says so). Each is deployed before
   * it; `{url:<name>}` in `env` is where that one listens.
   */
  readonly calls: readonly string[];
  /**
   * Its environment on a first deploy, besides PORT, WORKERS and LOG_FORMAT. A value may hold
   * `{dir}` (the service's directory under DEPLOY_ROOT; a directory named under it is created)
   * and `{url:<name>}` (http://127.0.0.1:<that service's port>).
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Before `migrate`, a copy of the file the `file` variable names, if it exists: `command`
   * (run in the release's service directory, with the service's environment) gets the
   * destination, DEPLOY_ROOT/<name>/backups/<time>-before-<tag>.<extension>, as its last argument.
   */
  readonly backup?: { readonly file: string; readonly command: readonly string[] };
  /** Run once per release before its workers start, in its service directory, with the service's environment. */
  readonly migrate?: readonly string[];
}
