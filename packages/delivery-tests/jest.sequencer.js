// The image tests first. They take minutes on a machine whose build cache is cold (every CI
// run), longer than any other file; on a fresh clone jest knows no durations and orders by
// file size, which put them last, alone on one worker at the end of the whole run.
const Sequencer = require('@jest/test-sequencer').default;

const first = /[/\\]test[/\\]image\.test\.ts$/;

class ImageTestsFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((test) => first.test(test.path)), ...sorted.filter((test) => !first.test(test.path))];
  }
}

module.exports = ImageTestsFirst;
