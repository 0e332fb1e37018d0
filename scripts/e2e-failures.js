#!/usr/bin/env node
// Prints the failed browser tests of a Playwright JSON report (its path is
// the argument), each with its file, title and first error, for the end of a
// failed run's log.
const fs = require('node:fs');

const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

function* specs(suite, titles) {
  const path = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) yield { spec, path };
  for (const child of suite.suites ?? []) yield* specs(child, path);
}

let failed = 0;
for (const suite of report.suites ?? []) {
  for (const { spec, path } of specs(suite, [])) {
    for (const test of spec.tests) {
      const result = test.results.find(
        r => r.status !== 'passed' && r.status !== 'skipped',
      );
      if (!result || test.status === 'expected' || test.status === 'skipped')
        continue;
      failed += 1;
      const error =
        result.error?.message ?? result.errors?.[0]?.message ?? result.status;
      console.log(
        `FAILED BROWSER TEST ${spec.file}:${spec.line} > ${[
          ...path.slice(1),
          spec.title,
        ].join(' > ')} [${test.projectName}]`,
      );
      console.log(
        error
          .replace(/\u001b\[[0-9;]*m/g, '')
          .split('\n')
          .slice(0, 25)
          .join('\n'),
      );
    }
  }
}
for (const error of report.errors ?? []) {
  failed += 1;
  console.log(
    `BROWSER TEST RUN ERROR ${error.message.replace(/\u001b\[[0-9;]*m/g, '')}`,
  );
}
console.log(
  `browser tests: ${failed} failed (${report.stats?.expected ?? '?'} passed, ${
    report.stats?.unexpected ?? '?'
  } unexpected, ${report.stats?.flaky ?? '?'} flaky)`,
);
