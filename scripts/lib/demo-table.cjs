// One sample of the demo's live view (scripts/demo.mjs), as lines that fit a projector:
//
//     12 s      3456 requests   0 errors
//      jafflr     4242 demo-1   31/s   4343 demo-2   29/s
//      chillybin  4250 demo-1   30/s   4251 demo-1   28/s   4377 demo-2    2/s
//                 4378 demo-2    0/s
//
// A service's workers wrap onto lines of their own past `width` columns, however many serve
// at once during a reload. A pure function, so a test can render any moment (four workers of
// one service, huge counts) without having to catch it live.
'use strict';

const INDENT = '   ';
const NAME_WIDTH = 11;
const GAP = '   ';

/** Text as is: the default when there is no colour. */
const plain = (_style, text) => text;

/**
 * @param {{ seconds: number, requests: number, errors: number,
 *   services: { name: string, workers: { pid: number, version: string, perSecond: number, errors?: number }[] }[] }} sample
 * @param {{ width?: number, paint?: (style: string, text: string) => string, newVersion?: string }} options
 * @returns {string[]} the lines, each at most `width` visible columns
 */
function renderSample(sample, { width = 100, paint = plain, newVersion } = {}) {
  const head = `${INDENT}${String(sample.seconds).padStart(3)} s   ${String(sample.requests).padStart(7)} requests   `;
  const lines = [head + paint(sample.errors === 0 ? 'green' : 'red', `${sample.errors} errors`)];
  for (const { name, workers } of sample.services) {
    const label = `${INDENT}${name.padEnd(NAME_WIDTH)}`;
    const cells = workers.length > 0 ? workers.map((worker) => cell(worker, paint, newVersion)) : [{ text: 'no worker answered', shown: paint('dim', 'no worker answered') }];
    let text = label; // the visible text, to measure; `shown` is the same, painted
    let shown = label;
    let count = 0;
    for (const next of cells) {
      if (count > 0 && text.length + GAP.length + next.text.length > width) {
        lines.push(shown);
        text = shown = ' '.repeat(label.length);
        count = 0;
      }
      const joiner = count === 0 ? '' : GAP;
      text += joiner + next.text;
      shown += joiner + next.shown;
      count += 1;
    }
    lines.push(shown);
  }
  return lines;
}

/** "4242 demo-2   29/s" (and " 3 err" when it had errors): the plain text, for widths, and as shown. */
function cell({ pid, version, perSecond, errors = 0 }, paint, newVersion) {
  const rate = `${String(perSecond).padStart(4)}/s`;
  const failed = errors > 0 ? ` ${errors} err` : '';
  return {
    text: `${pid} ${version} ${rate}${failed}`,
    shown: `${pid} ${paint(version === newVersion ? 'green' : 'yellow', version)} ${rate}${failed ? paint('red', failed) : ''}`,
  };
}

module.exports = { renderSample };
