// Mocha's spec reporter, plus a JSON file with the run's counts for scripts/test.mjs to sum.
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = process.env.AZML_TEST_COUNTS_FILE;
    runner.once('end', () => {
      if (!file) return;
      const { passes, failures, pending } = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, skipped: pending }));
    });
  }
}
module.exports = CountingReporter;
