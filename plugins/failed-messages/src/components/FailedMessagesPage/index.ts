export {
  FailedMessagesContent,
  FailedMessagesPage,
} from './FailedMessagesPage';
