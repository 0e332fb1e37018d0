/**
 * The texts of the Automatic run panel, part of
 * `failedMessagesTranslationRef` (under `autoRetryPanel`); kept here so that
 * translation.ts stays readable.
 */
export const autoRetryPanelMessages = {
  title: 'Automatic run',
  nextRun: 'Next run {{time}} your time ({{viewerZone}})',
  scheduleZone: 'The schedule runs in {{zone}}: {{time}} there',
  disabled: 'The automatic run is turned off.',
  onDemandOnly: 'The automatic run runs only when started here.',
  going: 'A run is going since {{time}}',
  goingProgress:
    '{{attempted}} attempted so far: {{succeeded}} accepted, {{failed}} failed, {{skipped}} skipped',
  progressLabel: 'Progress of the automatic run',
  runNow: 'Run now',
  starting: 'Starting the run…',
  alreadyRunning: 'A run was going already; no second one was started.',
  runFailed: 'Could not start the run: {{error}}',
  loadFailed: 'Could not load the automatic runs: {{error}}',
  recentRuns: 'Last runs',
  noRuns: 'No run yet.',
  started: 'Started',
  attempted: 'Attempted',
  succeeded: 'Accepted',
  failed: 'Failed',
  skipped: 'Skipped',
  skippedReason: '{{reason}} ({{number}})',
  result: 'Result',
  resultGoing: 'Going',
  resultFinished: 'Finished {{time}}',
  resultPaused: 'Paused: {{reason}}',
} as const;
