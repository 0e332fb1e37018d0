import { ErrorCodeInfo } from '../types';
import { ACCOUNT_CODES } from './accountCodes';
import { CONDITIONAL_CODES } from './conditionalCodes';
import { metaDocsUrl } from './metaDocs';
import { PERMANENT_CODES } from './permanentCodes';
import { TEMPORARY_CODES } from './temporaryCodes';

/**
 * The WhatsApp Business Cloud API error codes and what an agent should do
 * about them. Categories and waits follow Meta's error-code documentation;
 * where Meta does not say whether a resend can work, the choice is ours.
 *
 * @public
 */
export const WHATSAPP_ERROR_CODES: readonly ErrorCodeInfo[] = [
  ...TEMPORARY_CODES,
  ...CONDITIONAL_CODES,
  ...ACCOUNT_CODES,
  ...PERMANENT_CODES,
].map(entry => ({ ...entry, docsUrl: metaDocsUrl(entry.code) }));
