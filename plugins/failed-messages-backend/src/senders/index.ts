export {
  WhatsAppCloudSender,
  UnknownSendOutcomeError,
} from './WhatsAppCloudSender';
export { SandboxSender } from './SandboxSender';
