export {
  FailedMessagesContent,
  FailedMessagesPage,
} from './FailedMessagesPage';
export { askForFirstAnswers } from './earlyAnswers';
