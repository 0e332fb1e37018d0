import { mockServices } from '@backstage/backend-test-utils';
import { FailedMessagesSignals } from './FailedMessagesSignals';
import { RecordingSignalsService } from '../__testUtils__/recordingServices';

describe('FailedMessagesSignals', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup() {
    const recording = new RecordingSignalsService();
    const logger = mockServices.logger.mock();
    const signals = new FailedMessagesSignals({
      signals: recording,
      logger,
      intervalMs: 1000,
    });
    return { signals, recording, logger };
  }

  it('broadcasts on the failed-messages channel', async () => {
    const { signals, recording } = setup();
    signals.messagesChanged();
    await jest.advanceTimersByTimeAsync(1000);
    expect(recording.published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'failed-messages',
        message: { type: 'messages-changed' },
      },
    ]);
  });

  it('announces a burst of changes once, at the end of the second', async () => {
    const { signals, recording } = setup();
    for (let i = 0; i < 5000; i++) {
      signals.messagesChanged();
    }
    await jest.advanceTimersByTimeAsync(999);
    expect(recording.messages()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(recording.messages()).toEqual([{ type: 'messages-changed' }]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(recording.messages()).toHaveLength(1);
  });

  it('announces the last change of a steady stream, at most once a second', async () => {
    const { signals, recording } = setup();
    // A change every 100 ms for 5 s, then quiet.
    for (let i = 0; i < 50; i++) {
      signals.messagesChanged();
      await jest.advanceTimersByTimeAsync(100);
    }
    expect(recording.messages()).toHaveLength(5);
    signals.messagesChanged();
    await jest.advanceTimersByTimeAsync(1000);
    expect(recording.messages()).toHaveLength(6);
  });

  it('sends one progress signal per bulk retry and second, whatever the size', async () => {
    const { signals, recording } = setup();
    for (let i = 0; i < 100_000; i++) {
      signals.bulkRetryChanged({ id: 'bulk-1', status: 'running' });
      signals.bulkRetryChanged({ id: 'bulk-2', status: 'running' });
    }
    await jest.advanceTimersByTimeAsync(1000);
    expect(recording.messages()).toEqual([
      { type: 'bulk-retry', bulkRetryId: 'bulk-1', status: 'running' },
      { type: 'bulk-retry', bulkRetryId: 'bulk-2', status: 'running' },
    ]);
  });

  it('publishes a final status at once, with no progress signal after it', async () => {
    const { signals, recording } = setup();
    signals.bulkRetryChanged({ id: 'bulk-1', status: 'running' });
    await jest.advanceTimersByTimeAsync(1000);
    signals.bulkRetryChanged({ id: 'bulk-1', status: 'running' });
    signals.bulkRetryChanged({ id: 'bulk-1', status: 'completed' });
    await Promise.resolve();
    expect(recording.messages()).toEqual([
      { type: 'bulk-retry', bulkRetryId: 'bulk-1', status: 'running' },
      { type: 'bulk-retry', bulkRetryId: 'bulk-1', status: 'completed' },
    ]);
    await jest.advanceTimersByTimeAsync(5000);
    expect(recording.messages()).toHaveLength(2);
  });

  it('logs a failed publication instead of failing the change', async () => {
    const { signals, recording, logger } = setup();
    jest
      .spyOn(recording, 'publish')
      .mockRejectedValue(new Error('events bus down'));
    signals.bulkRetryChanged({ id: 'bulk-1', status: 'cancelled' });
    await jest.advanceTimersByTimeAsync(0);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('events bus down'),
    );
  });
});
