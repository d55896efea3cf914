/**
 * @toasties/config — read the environment once at start-up.
 *
 *   const config = loadConfig(schema);          // throws ConfigError
 *   const config = loadConfigOrExit(schema);    // prints one line per bad variable, exits 1
 *
 * `serviceSettings(port)` holds the variables every service shares, so both services
 * name, default and validate them the same way.
 */
export { ConfigError, configProblems, loadConfig, loadConfigOrExit } from './load';
export { serviceSettings, serverSettings, processSettings, releaseVersion, withShutdownBudget, integer, milliseconds, decimal, bearerToken, serviceUrl } from './settings';
export type { ServiceSettings } from './settings';
export { withoutUserinfo, hasUserinfo } from './userinfo';
