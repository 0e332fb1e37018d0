import { FailedMessage } from '@msgops/plugin-failed-messages-common';

const COLUMNS: [string, (m: FailedMessage) => string | number | null][] = [
  ['id', m => m.id],
  ['channel', m => m.channel],
  ['externalId', m => m.externalId],
  ['recipient', m => m.recipient],
  ['campaign', m => m.campaign],
  ['templateName', m => m.templateName],
  ['errorCode', m => m.error.code],
  ['errorTitle', m => m.error.title],
  ['errorMessage', m => m.error.message],
  ['errorDetails', m => m.error.details],
  ['category', m => m.category],
  ['retryStatus', m => m.retryStatus],
  ['automaticAttempts', m => m.automaticAttempts],
  ['manualAttempts', m => m.manualAttempts],
  ['nextAutomaticRetryAt', m => m.nextAutomaticRetryAt],
  ['failedAt', m => m.failedAt],
  ['lastAttemptAt', m => m.lastAttemptAt],
  ['resolvedAt', m => m.resolvedAt],
  ['state', m => m.state],
  ['dismissedAt', m => m.dismissal?.at ?? null],
  ['dismissedBy', m => m.dismissal?.by ?? null],
  ['dismissReason', m => m.dismissal?.reason ?? null],
  ['phoneNumberId', m => m.businessNumber?.phoneNumberId ?? null],
  ['businessNumber', m => m.businessNumber?.label ?? null],
];

/** What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A phone number such as +16505551234: a spreadsheet reads it as a number, so it stays as it is. */
const PHONE_NUMBER = /^\+?\d+$/;

/**
 * One CSV cell (RFC 4180). A value a spreadsheet would run as a formula gets
 * a leading single quote, which spreadsheets read as "text follows", and is
 * quoted, so that no separator inside it can start a new cell.
 */
function cell(value: string | number | null): string {
  if (value === null) {
    return '';
  }
  const text = String(value);
  const quoted = (content: string) => `"${content.replace(/"/g, '""')}"`;
  if (FORMULA_START.test(text) && !PHONE_NUMBER.test(text)) {
    return quoted(`'${text}`);
  }
  return /[",\r\n]/.test(text) ? quoted(text) : text;
}

export const CSV_HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

export function toCsvLine(message: FailedMessage): string {
  return `${COLUMNS.map(([, get]) => cell(get(message))).join(',')}\r\n`;
}
