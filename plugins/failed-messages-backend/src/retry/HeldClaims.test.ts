import { mockServices } from '@backstage/backend-test-utils';
import { HeldClaims } from './HeldClaims';

describe('HeldClaims', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('renews every held claim in one call a third of the lease apart, until let go', async () => {
    const renewLeases = jest.fn().mockResolvedValue(2);
    const held = new HeldClaims({
      store: { renewLeases },
      logger: mockServices.logger.mock(),
      leaseSeconds: 300,
      leaseUntil: () => new Date('2026-11-25T10:05:00Z'),
    });
    held.hold({ messageId: 'a', claimToken: 'token-a' });
    held.hold({ messageId: 'b', claimToken: 'token-b' });

    await jest.advanceTimersByTimeAsync(99_000);
    expect(renewLeases).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(renewLeases).toHaveBeenCalledTimes(1);
    expect(renewLeases).toHaveBeenCalledWith(
      [
        { messageId: 'a', claimToken: 'token-a' },
        { messageId: 'b', claimToken: 'token-b' },
      ],
      new Date('2026-11-25T10:05:00Z'),
    );

    held.letGo('token-a');
    held.letGo('token-b');
    await jest.advanceTimersByTimeAsync(300_000);
    expect(renewLeases).toHaveBeenCalledTimes(1);
  });
});
