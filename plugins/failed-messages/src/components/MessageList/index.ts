export { MessageList } from './MessageList';
export type { MessageListProps } from './MessageList';
export type { MessageSelection } from './MessageSelection';
