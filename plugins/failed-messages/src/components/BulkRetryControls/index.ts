export { BulkRetryControls } from './BulkRetryControls';
export type { BulkRetryControlsProps } from './BulkRetryControls';
