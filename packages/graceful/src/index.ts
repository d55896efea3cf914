export { serve, defaults } from './serve';
export { createClusterStatus } from './cluster-status';
export type { ClusterDetails, ClusterStatus } from './cluster-status';
export type { ServeOptions, RunningServer } from './serve';
export { runPrimary, runProcesses, primaryDefaults } from './cluster';
export type { PrimaryOptions, ProcessOptions } from './cluster';
export { runService } from './run-service';
export type { RunServiceOptions, ServiceParts, WorkerBuild, WorkerRuntime } from './run-service';
