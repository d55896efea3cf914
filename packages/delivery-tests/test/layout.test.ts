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
