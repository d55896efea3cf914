// Whatever a test file started or made is gone when it ends, pass or fail: the processes
// it spawned through @toasties/testkit and the temporary directories testkit made for it.
// A package whose tests do not use testkit has nothing to clean here.
afterAll(async () => {
  let testkit;
  try {
    testkit = require('@toasties/testkit');
  } catch {
    return;
  }
  await testkit.stopAllProcesses();
  testkit.removeTempDirs();
});
