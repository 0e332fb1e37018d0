import { ErrorCodeInfo } from '../types';

/**
 * Meta's Cloud API error-code reference. It lists every code on one page
 * without stable anchors, so every code links to the page as a whole.
 */
export const META_ERROR_CODES_URL =
  'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes';

/** An entry as the tables write it: its documentation link follows from its code. */
export type CatalogueEntry = Omit<ErrorCodeInfo, 'docsUrl'>;

/**
 * Meta's page for a numeric code, which is Meta's; null for the synthetic
 * codes ('network-error', 'http-5xx', 'unknown-outcome'), which are ours.
 */
export function metaDocsUrl(code: string): string | null {
  return /^\d+$/.test(code) ? META_ERROR_CODES_URL : null;
}
