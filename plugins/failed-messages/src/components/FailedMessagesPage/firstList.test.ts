import {
  createFakeFailedMessagesApi,
  fakeMessage,
} from '../../__testUtils__/fakeFailedMessagesApi';
import { FIRST_LIST_SHARED_MS, createFirstListLoader } from './firstList';

describe('createFirstListLoader', () => {
  afterEach(() => jest.useRealTimers());

  it('asks for the list of the URL and names the request it answers', async () => {
    const api = createFakeFailedMessagesApi();
    const loadFirstList = createFirstListLoader(api);

    const list = await loadFirstList('?category=retryable&page=2');

    expect(api.listMessages).toHaveBeenCalledWith({
      category: ['retryable'],
      sort: 'failedAt',
      order: 'desc',
      limit: 25,
      offset: 50,
    });
    expect(list?.result.items).toEqual([fakeMessage]);
    expect(JSON.parse(list!.request)).toMatchObject({ offset: 50 });
  });

  it('shares one request between loads of the same URL close together', async () => {
    jest.useFakeTimers({ now: 0 });
    const api = createFakeFailedMessagesApi();
    const loadFirstList = createFirstListLoader(api);

    await loadFirstList('');
    await loadFirstList('');
    expect(api.listMessages).toHaveBeenCalledTimes(1);

    await loadFirstList('?category=retryable');
    expect(api.listMessages).toHaveBeenCalledTimes(2);

    jest.setSystemTime(FIRST_LIST_SHARED_MS);
    await loadFirstList('?category=retryable');
    expect(api.listMessages).toHaveBeenCalledTimes(3);
  });

  it('gives nothing when the request fails, so that the page asks itself', async () => {
    const api = createFakeFailedMessagesApi();
    api.listMessages.mockRejectedValue(new Error('Backend down'));

    await expect(createFirstListLoader(api)('')).resolves.toBeUndefined();
  });
});
