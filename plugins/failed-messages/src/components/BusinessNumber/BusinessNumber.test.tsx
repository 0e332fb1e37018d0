import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  mockBreakpoint,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  ConfiguredBusinessNumber,
  FailedMessage,
} from '@msgops/plugin-failed-messages-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { failedMessagesApiRef } from '../../api';
import { createEmptyFailedMessagesApi } from '../../__testUtils__/emptyFailedMessagesApi';
import {
  rateLimited,
  rateLimitedDetail,
  renderPage,
  setUpFakeBackend,
} from '../../__testUtils__/fakeBackend';
import { MessageDetailsDrawer } from '../MessageDetailsDrawer';

const { serve, lastListRequest } = setUpFakeBackend();

const supportDe: ConfiguredBusinessNumber = {
  phoneNumberId: '106540352242922',
  label: 'Support DE',
  account: 'eu-main',
  ratePerSecond: 80,
};
const supportFr: ConfiguredBusinessNumber = {
  phoneNumberId: '106540352242923',
  label: 'Support FR',
  account: 'eu-main',
  ratePerSecond: 80,
};

const fromSupportDe: FailedMessage = {
  ...rateLimited,
  businessNumber: {
    phoneNumberId: supportDe.phoneNumberId,
    displayPhoneNumber: '+49 30 1234567',
    label: 'Support DE',
  },
};

describe('business numbers on the page', () => {
  afterEach(() => mockBreakpoint({ matches: false }));

  it('shows neither the column nor the filter with one number', async () => {
    serve({ items: [fromSupportDe], businessNumbers: [supportDe] });
    await renderPage();
    await screen.findByText('+4915112345678');
    // Lets the numbers' answer reach the page.
    await new Promise(resolve => setTimeout(resolve, 50));

    expect(
      screen.queryByRole('columnheader', { name: 'Business number' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('Support DE')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Business number/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the label column and filters by number with two', async () => {
    serve({ items: [fromSupportDe], businessNumbers: [supportDe, supportFr] });
    await renderPage();

    expect(
      await screen.findByRole('columnheader', { name: 'Business number' }),
    ).toBeInTheDocument();
    const row = screen.getByRole('row', {
      name: /Details of the message to \+4915112345678/,
    });
    expect(within(row).getByText('Support DE')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: /Business number/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Support FR' }),
    );
    await userEvent.keyboard('{Escape}');

    await waitFor(() =>
      expect(lastListRequest().searchParams.getAll('phoneNumberId')).toEqual([
        supportFr.phoneNumberId,
      ]),
    );
    expect(screen.getByLabelText('Current search')).toHaveTextContent(
      `phoneNumberId=${supportFr.phoneNumberId}`,
    );
    expect(
      screen.getByRole('button', { name: /Business number/ }),
    ).toHaveTextContent('Support FR');
  });

  it('keeps the number filter of the URL', async () => {
    serve({ items: [fromSupportDe], businessNumbers: [supportDe, supportFr] });
    await renderPage(`?phoneNumberId=${supportDe.phoneNumberId}`);

    await screen.findByText('+4915112345678');
    expect(lastListRequest().searchParams.getAll('phoneNumberId')).toEqual([
      supportDe.phoneNumberId,
    ]);
    expect(
      await screen.findByRole('button', { name: /Business number/ }),
    ).toHaveTextContent('Support DE');
  });

  it('names the number on the cards on small screens', async () => {
    mockBreakpoint({ matches: true });
    serve({ items: [fromSupportDe], businessNumbers: [supportDe, supportFr] });
    await renderPage();

    const list = await screen.findByRole('region', { name: 'Message list' });
    const card = within(list).getByRole('button', {
      name: 'Details of the message to +4915112345678',
    });
    expect(await within(card).findByText(/^From /)).toHaveTextContent(
      'From Support DE',
    );
  });
});

describe('business number in the details', () => {
  async function openDetails(detail: typeof rateLimitedDetail) {
    const api = createEmptyFailedMessagesApi();
    api.getMessage.mockResolvedValue(detail);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [failedMessagesApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <MessageDetailsDrawer
          messageId={detail.id}
          onClose={jest.fn()}
          onRetried={jest.fn()}
        />
      </TestApiProvider>,
    );
    return screen.findByRole('dialog', { name: /Message to/ });
  }

  it('names the label and the number', async () => {
    const details = await openDetails({
      ...rateLimitedDetail,
      businessNumber: fromSupportDe.businessNumber,
    });

    expect(within(details).getByText(/^Business number:/)).toHaveTextContent(
      'Business number: Support DE (+49 30 1234567)',
    );
  });

  it('says when the number is not configured here', async () => {
    const reason =
      'Sent from +49 30 7654321, which is not configured here: it cannot be resent until that number is added to failedMessages.whatsapp.accounts.';
    const details = await openDetails({
      ...rateLimitedDetail,
      businessNumber: {
        phoneNumberId: '999',
        displayPhoneNumber: '+49 30 7654321',
        label: null,
      },
      eligibility: { canRetry: false, reason, earliestAt: null },
    });

    expect(within(details).getByText(/^Business number:/)).toHaveTextContent(
      'Business number: +49 30 7654321, which is not configured here',
    );
    expect(within(details).getByText(reason)).toBeInTheDocument();
  });

  it('shows the id of a number Meta did not show', async () => {
    const details = await openDetails({
      ...rateLimitedDetail,
      businessNumber: {
        phoneNumberId: supportFr.phoneNumberId,
        displayPhoneNumber: null,
        label: 'Support FR',
      },
    });

    expect(within(details).getByText(/^Business number:/)).toHaveTextContent(
      `Business number: Support FR (${supportFr.phoneNumberId})`,
    );
  });
});
