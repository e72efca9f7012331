// Mocha's spec reporter, plus a JSON file with the run's counts and failures for scripts/test.mjs
// to sum and to repeat at the end (a CI log may keep only its tail).
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = process.env.AZML_TEST_COUNTS_FILE;
    const failedTests = [];
    runner.on('fail', (test, error) => {
      failedTests.push({ title: test.fullTitle(), message: error instanceof Error ? error.message : String(error) });
    });
    runner.once('end', () => {
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, skipped: pending, failures: failedTests }));
    });
  }
}
module.exports = CountingReporter;
