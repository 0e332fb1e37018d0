export { AutoRetryPanel } from './AutoRetryPanel';
export type { AutoRetryPanelProps } from './AutoRetryPanel';
