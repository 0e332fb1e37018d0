import { signalApiRef } from '@backstage/plugin-signals-react';
import { TestApiProvider } from '@backstage/test-utils';
import { FAILED_MESSAGES_SIGNAL_CHANNEL } from '@msgops/plugin-failed-messages-common';
import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import { createFakeSignalApi } from '../__testUtils__/fakeSignalApi';
import { LiveRefreshOptions, useLiveRefresh } from './useLiveRefresh';

function setVisibility(state: DocumentVisibilityState) {
  jest.spyOn(document, 'visibilityState', 'get').mockReturnValue(state);
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

function render(
  options: Partial<LiveRefreshOptions>,
  signals?: ReturnType<typeof createFakeSignalApi>,
) {
  const refresh = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        // Without it the hook falls back to polling, as in apps without signals.
        ...(signals ? [[signalApiRef, signals.signalApi] as const] : []),
      ]}
    >
      {children}
    </TestApiProvider>
  );
  renderHook(
    () =>
      useLiveRefresh({
        refresh,
        concerns: signal => signal.type === 'messages-changed',
        pollIntervalMs: 30_000,
        minIntervalMs: 5_000,
        ...options,
      }),
    { wrapper },
  );
  return refresh;
}

describe('useLiveRefresh', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    setVisibility('visible');
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('polls while the page is visible when the app has no signals', () => {
    const refresh = render({});

    act(() => jest.advanceTimersByTime(29_000));
    expect(refresh).not.toHaveBeenCalled();
    act(() => jest.advanceTimersByTime(1_000));
    expect(refresh).toHaveBeenCalledTimes(1);

    setVisibility('hidden');
    act(() => jest.advanceTimersByTime(90_000));
    expect(refresh).toHaveBeenCalledTimes(1);

    setVisibility('visible');
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('refreshes on a signal, once for a burst, and does not poll', () => {
    const signals = createFakeSignalApi();
    const refresh = render({}, signals);
    const changed = () =>
      signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
        type: 'messages-changed',
      });

    act(() => jest.advanceTimersByTime(5_000));
    changed();
    expect(refresh).toHaveBeenCalledTimes(1);

    changed();
    changed();
    signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
      type: 'bulk-retry',
      bulkRetryId: 'bulk-1',
      status: 'running',
    });
    expect(refresh).toHaveBeenCalledTimes(1);
    act(() => jest.advanceTimersByTime(5_000));
    expect(refresh).toHaveBeenCalledTimes(2);

    act(() => jest.advanceTimersByTime(120_000));
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('neither listens nor polls while disabled', () => {
    const signals = createFakeSignalApi();
    const refresh = render({ enabled: false }, signals);

    act(() => jest.advanceTimersByTime(10_000));
    signals.publish(FAILED_MESSAGES_SIGNAL_CHANNEL, {
      type: 'messages-changed',
    });
    act(() => jest.advanceTimersByTime(60_000));

    expect(refresh).not.toHaveBeenCalled();
  });
});
