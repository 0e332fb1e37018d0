export {
  FailedMessagesContent,
  FailedMessagesPage,
} from './FailedMessagesPage';
export { createFirstListLoader } from './firstList';
