import { FailedMessagesApi } from '../api';

/** A fake client that answers with an empty backend. */
export function createEmptyFailedMessagesApi(): jest.Mocked<FailedMessagesApi> {
  return {
    listMessages: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    getSummary: jest.fn().mockResolvedValue({
      total: 0,
      retryable: 0,
      nonRetryable: 0,
      businessLogic: 0,
    }),
    getMessage: jest.fn(),
    exportUrl: jest.fn(),
    retryMessage: jest.fn(),
    settleMessage: jest.fn(),
    dismissMessage: jest.fn(),
    reopenMessage: jest.fn(),
    previewBulkRetry: jest.fn(),
    startBulkRetry: jest.fn(),
    getBulkRetry: jest.fn(),
    listBulkRetries: jest.fn().mockResolvedValue([]),
    cancelBulkRetry: jest.fn(),
    getAutoRetry: jest.fn().mockRejectedValue(new Error('not needed')),
    resumeAutoRetry: jest.fn(),
    runAutoRetry: jest.fn(),
    listBusinessNumbers: jest.fn().mockResolvedValue([]),
    getErrorCodes: jest.fn().mockResolvedValue([]),
    listCampaigns: jest.fn().mockResolvedValue([]),
    getStatistics: jest.fn(),
  };
}
