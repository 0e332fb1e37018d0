export { MessageDetailsDrawer } from './MessageDetailsDrawer';
export type { MessageDetailsDrawerProps } from './MessageDetailsDrawer';
