export { BulkRetryDialog } from './BulkRetryDialog';
export type { BulkRetryDialogProps } from './BulkRetryDialog';
