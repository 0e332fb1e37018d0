export { BulkRetryRuns, BULK_RETRY_RUNS_SHOWN } from './BulkRetryRuns';
export type { BulkRetryRunsProps } from './BulkRetryRuns';
