import { readRepoFile, repoFiles } from './support/files';

// One convention for where tests live: each workspace's test/ folder (jest/base.js runs
// nothing else, so a test written anywhere else would silently never run).
const workspaces = JSON.parse(readRepoFile('package.json')).workspaces as string[];
const inWorkspace = (path: string) => workspaces.some((glob) => path.startsWith(glob.replace('*', '')));

test('every test file of a workspace is in its test/ folder', () => {
  const tests = repoFiles(/\.(test|spec)\.[cm]?[jt]s$/).filter(inWorkspace);
  expect(tests.length).toBeGreaterThan(50);
  expect(tests.filter((path) => !/^(packages|services)\/[^/]+\/test\//.test(path))).toEqual([]);
});

// A service's process model is runService's: its own code names no part of node:cluster or
// of the cluster helpers built on it (asking every worker goes through runService's everyWorker).
test('no service source names a cluster primitive', () => {
  const sources = repoFiles(/^services\/[^/]+\/src\/.*\.ts$/);
  expect(sources.length).toBeGreaterThan(10);
  const naming = sources.filter((path) => /node:cluster|\bclusterQuery\b|serveClusterQueries|serveClusterRateLimits|createClusterStatus/.test(readRepoFile(path)));
  expect(naming).toEqual([]);
});
