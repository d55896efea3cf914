// jest's node environment, plus one promise: whatever a test file started or made through
// @toasties/testkit (processes, temporary directories) is gone when the file ends, pass or
// fail. The clean-up runs on jest-circus's `run_finish` event, after every hook of the file:
// a file's own afterAll (a graceful stop, a check of what a process left) still finds its
// processes and folders. (An afterAll in setupFilesAfterEnv would run before them: hooks run
// in the order they were declared.) A file that never loads testkit has nothing to clean.
const { TestEnvironment } = require('jest-environment-node');

const CLEAN_UP_KEY = '__toastiesTestkitCleanUp'; // set by @toasties/testkit (file-clean-up.ts)

class ToastiesEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name !== 'run_finish') return;
    const cleanUp = this.global[CLEAN_UP_KEY];
    if (typeof cleanUp === 'function') await cleanUp();
  }
}

module.exports = ToastiesEnvironment;
