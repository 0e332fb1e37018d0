export * from './useFailedMessagesQuery';
export * from './useLiveRefresh';
