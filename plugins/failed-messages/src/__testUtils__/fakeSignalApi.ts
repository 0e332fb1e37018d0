import { SignalApi } from '@backstage/plugin-signals-react';
import { FailedMessagesSignal } from '@msgops/plugin-failed-messages-common';
import { act } from '@testing-library/react';

/** Stands in for the signals plugin: tests publish what the backend would. */
export function createFakeSignalApi() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  const signalApi: SignalApi = {
    subscribe(channel, onMessage) {
      const channelSubscribers = subscribers.get(channel) ?? new Set();
      channelSubscribers.add(onMessage);
      subscribers.set(channel, channelSubscribers);
      return { unsubscribe: () => channelSubscribers.delete(onMessage) };
    },
  };
  const publish = (channel: string, signal: FailedMessagesSignal) =>
    act(() => {
      subscribers.get(channel)?.forEach(onMessage => onMessage(signal));
    });
  return { signalApi, publish };
}
