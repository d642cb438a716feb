import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, "vitest: N passed, N failed, N skipped", so that
 * CI logs state the outcome in a form any reader can check.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed outside its tests (its setup threw, so its tests were skipped) is a failure.
      const moduleErrors = mod.errors().length;
      if (mod.state() === 'failed' && (mod.children.size === 0 || moduleErrors > 0)) failed += Math.max(1, moduleErrors);
    }
    // An unhandled error fails the run (vitest exits non-zero), so it counts as a failure here too.
    failed += unhandledErrors.length;
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
