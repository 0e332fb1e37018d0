/*
 * The WhatsApp error-code catalogue: the entries, by category, and the
 * catalogue that looks them up, in errorCodes/.
 */
export { WHATSAPP_ERROR_CODES } from './errorCodes/whatsAppErrorCodes';
export {
  ErrorCodeCatalogue,
  UNKNOWN_ERROR_CODE_DEFAULTS,
} from './errorCodes/ErrorCodeCatalogue';
