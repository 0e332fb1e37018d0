import { FailedMessage } from '@internal/plugin-failed-messages-common';

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
];

function cell(value: string | number | null): string {
  if (value === null) {
    return '';
  }
  let text = String(value);
  // A spreadsheet would run a cell that starts like a formula; phone numbers
  // such as +1650… are left alone.
  if (/^[=@\t\r]/.test(text) || /^[+-][^\d]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${COLUMNS.map(([name]) => name).join(',')}\r\n`;

export function toCsvLine(message: FailedMessage): string {
  return `${COLUMNS.map(([, get]) => cell(get(message))).join(',')}\r\n`;
}
