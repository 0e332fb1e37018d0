import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FailedMessagePage } from '@msgops/plugin-failed-messages-common';
import {
  createFakeFailedMessagesApi,
  fakeMessage,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { renderPageWithout } from '../../__testUtils__/renderPageWithout';
import {
  arrivedAnswer,
  askForFirstAnswers,
  listRequestOf,
  requestKey,
} from './earlyAnswers';
import { parseFailedMessagesQuery } from '../../hooks';

function listKeyOf(search: string) {
  return requestKey(
    'list',
    listRequestOf(parseFailedMessagesQuery(new URLSearchParams(search))),
  );
}

// Each test asks for another address: answers asked early live in the module
// for a few seconds, and a test must not take another test's.
describe('the first answers, asked for before the page renders', () => {
  it('are what the page shows, without asking the backend again', async () => {
    const api = createFakeFailedMessagesApi();
    askForFirstAnswers(api, '?category=retryable');
    await renderPageWithout('none', api, {
      initialSearch: '?category=retryable',
    });

    expect(
      await screen.findByLabelText('Details of the message to +4915112345678'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Total: 5' }),
    ).toBeInTheDocument();
    expect(api.listMessages).toHaveBeenCalledTimes(1);
    expect(api.listMessages).toHaveBeenCalledWith({
      category: ['retryable'],
      state: ['open'],
      sort: 'failedAt',
      order: 'desc',
      limit: 25,
      offset: 0,
    });
    expect(api.getSummary).toHaveBeenCalledTimes(1);
    expect(api.getErrorCodes).toHaveBeenCalledTimes(1);
    expect(api.getAutoRetry).toHaveBeenCalledTimes(1);
  });

  it('are not used for another address', async () => {
    const api = createFakeFailedMessagesApi();
    askForFirstAnswers(api, '?campaign=black-friday');
    await renderPageWithout('none', api, { initialSearch: '?campaign=spring' });

    await screen.findByLabelText('Details of the message to +4915112345678');
    expect(api.listMessages).toHaveBeenCalledTimes(2);
    expect(api.listMessages).toHaveBeenLastCalledWith(
      expect.objectContaining({ campaign: 'spring' }),
    );
  });

  it('show a failed answer as the list error, and Retry asks again', async () => {
    const api = createFakeFailedMessagesApi();
    api.listMessages.mockRejectedValueOnce(new Error('backend unreachable'));
    askForFirstAnswers(api, '?q=early-failure');
    await renderPageWithout('none', api, { initialSearch: '?q=early-failure' });

    expect(
      await screen.findByText(
        /Could not load failed messages: backend unreachable/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByLabelText('Details of the message to +4915112345678'),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.listMessages).toHaveBeenCalledTimes(2));
  });

  it('can be shown by the first render once they have arrived, for ten seconds', async () => {
    const api = createFakeFailedMessagesApi();
    let arrive: (page: FailedMessagePage) => void = () => {};
    api.listMessages.mockReturnValueOnce(
      new Promise(resolve => {
        arrive = resolve;
      }),
    );
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      askForFirstAnswers(api, '?campaign=arrival');
      expect(arrivedAnswer(listKeyOf('?campaign=arrival'))).toBeUndefined();

      const page = { items: [fakeMessage], totalCount: 1 };
      arrive(page);
      await waitFor(() =>
        expect(arrivedAnswer(listKeyOf('?campaign=arrival'))).toBe(page),
      );
      expect(arrivedAnswer(listKeyOf('?campaign=other'))).toBeUndefined();

      now.mockReturnValue(1_010_000);
      expect(arrivedAnswer(listKeyOf('?campaign=arrival'))).toBeUndefined();
    } finally {
      now.mockRestore();
    }
  });
});
