export { ConfigError, configProblems, loadConfig, loadConfigOrExit } from './load';
export { serviceSettings, serverSettings, processSettings, releaseVersion, withShutdownBudget, integer, milliseconds, decimal, bearerToken, serviceUrl } from './settings';
export type { ServiceSettings } from './settings';
export { withoutUserinfo, hasUserinfo } from './userinfo';
