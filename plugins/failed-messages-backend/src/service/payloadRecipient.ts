import { InputError } from '@backstage/errors';

/**
 * A phone number as WhatsApp reads it: its digits. WhatsApp takes `to` with
 * or without a leading + (and ignores spaces, dashes and brackets), so
 * "+49 151 1234567" and "491511234567" are the same recipient.
 */
export function normalizePhoneNumber(phoneNumber: string): string {
  return phoneNumber.replace(/\D/g, '');
}

/**
 * Refuses a stored payload that would go to someone other than the record's
 * recipient: the page shows the recipient, and a resend must reach exactly
 * that person. `where` names the report in a batch.
 */
export function checkPayloadRecipient(
  report: { recipient: string; payload?: Record<string, unknown> },
  where: string,
): void {
  const to = report.payload?.to;
  if (to === undefined) {
    return;
  }
  if (
    typeof to !== 'string' ||
    normalizePhoneNumber(to) !== normalizePhoneNumber(report.recipient)
  ) {
    throw new InputError(
      `Invalid report${where}: payload.to ${JSON.stringify(
        to,
      )} is not the recipient ${JSON.stringify(
        report.recipient,
      )}; a resend goes to the recipient, so both must be the same number`,
    );
  }
}
