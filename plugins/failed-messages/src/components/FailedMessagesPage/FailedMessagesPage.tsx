import { Content, Header, Page, Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Category,
  FailedMessage,
  FailedMessagePage,
  failedMessagesBulkRetryPermission,
  failedMessagesStatisticsReadPermission,
} from '@msgops/plugin-failed-messages-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme } from '@material-ui/core/styles';
import {
  Suspense,
  lazy,
  useCallback,
  useEffect,
  useMemo,
  useState,
} from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { failedMessagesApiRef } from '../../api';
import {
  DEFAULT_FILTER,
  useFailedMessagesQuery,
  useLiveRefresh,
} from '../../hooks';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { formatExactTime } from '../../utils/formatTime';
import { AutoRetryPanel } from '../AutoRetryPanel';
import { BulkRetryControls } from '../BulkRetryControls';
import { ExportCsvButton } from '../ExportCsvButton';
import { FilterBar, countActiveFilters } from '../FilterBar';
import { FilterDrawer } from '../FilterDrawer';
import { MessageDetailsDrawer } from '../MessageDetailsDrawer';
import { MessageList } from '../MessageList';
import { PausedAccountsBanner } from '../PausedAccountsBanner';
import { SummaryCards } from '../SummaryCards';
import {
  answer,
  arrivedAnswer,
  listRequestOf,
  requestKey,
  summaryFilterOf,
} from './earlyAnswers';

// The charts library is most of the page's code: it loads only when the
// Statistics tab opens, so that the list does not wait for it.
const StatisticsPanel = lazy(() =>
  import('../Statistics').then(m => ({ default: m.StatisticsPanel })),
);

/** Used until the backend says otherwise; the product promises three automatic attempts. */
const DEFAULT_MAX_AUTOMATIC_ATTEMPTS = 3;

/** Without signals, the list, the counts and open details are fetched again this often. */
export const MESSAGES_POLL_INTERVAL_MS = 30_000;

/**
 * Changes announced closer together than this cause one refresh, so that a
 * running bulk retry does not keep the list reloading under the reader.
 */
const MESSAGES_REFRESH_MIN_INTERVAL_MS = 5_000;

/**
 * The Failed Messages page without the page frame: summary cards, filter bar
 * and message list, top to bottom, plus the details drawer.
 */
export function FailedMessagesContent() {
  const api = useApi(failedMessagesApiRef);
  const alertApi = useApi(alertApiRef);
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const [query, updateQuery] = useFailedMessagesQuery();
  const { filter, sort, order, page, pageSize, tab } = query;
  // Bumped after a retry, or when the backend announces changes, so that the
  // counts, the list and open details are fetched again. `live` marks the
  // refreshes of live updates, which the reader did not ask for.
  const [reloads, setReloads] = useState({ count: 0, live: false });
  const reload = () =>
    setReloads(({ count }) => ({ count: count + 1, live: false }));
  const reloadLive = () =>
    setReloads(({ count }) => ({ count: count + 1, live: true }));
  const filterKey = JSON.stringify(filter);
  const listRequest = listRequestOf(query);
  const listKey = requestKey('list', listRequest);
  const bulkRetry = usePermission({
    permission: failedMessagesBulkRetryPermission,
  });
  const statistics = usePermission({
    permission: failedMessagesStatisticsReadPermission,
  });
  // Ids of the messages selected for a bulk retry, across pages of one filter.
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(
    () => new Set(),
  );
  useEffect(() => setSelectedIds(new Set()), [filterKey]);

  const summaryFilter = summaryFilterOf(filter);
  const summaryKey = requestKey('summary', summaryFilter);
  const summary = useAsync(
    () => answer(summaryKey, () => api.getSummary(summaryFilter)),
    [api, summaryKey, reloads.count],
  );
  const list = useAsyncRetry(
    async () => ({
      request: listKey,
      result: await answer(listKey, () => api.listMessages(listRequest)),
    }),
    [api, listKey, reloads.count],
  );
  // Rows asked for before the page rendered and already here are shown by
  // its first render, until the list's own answer (the same one) comes.
  const [arrivedList] = useState(() => {
    const result = arrivedAnswer<FailedMessagePage>(listKey);
    return result && { request: listKey, result };
  });
  const shownList = list.value ?? arrivedList;
  // A live update fetches the rows on screen again without a progress bar;
  // another page, filter or order, or a reload after a retry, shows one.
  const listLoading =
    list.loading &&
    !(
      shownList?.request === listKey &&
      (reloads.live || list.value === undefined)
    );
  const showStatistics = statistics.allowed && tab === 'statistics';
  useLiveRefresh({
    refresh: reloadLive,
    concerns: signal => signal.type === 'messages-changed',
    pollIntervalMs: MESSAGES_POLL_INTERVAL_MS,
    minIntervalMs: MESSAGES_REFRESH_MIN_INTERVAL_MS,
    enabled: !showStatistics,
  });
  const errorCodes = useAsync(
    () => answer(requestKey('error-codes'), () => api.getErrorCodes()),
    [api],
  );
  // Phones get the filters in a drawer, below the summary cards.
  const isSmallScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  // Fetched again with the list, so that the next run stays ahead of the clock.
  const autoRetry = useAsync(
    () => answer(requestKey('auto-retry'), () => api.getAutoRetry()),
    [api, reloads.count],
  );
  const businessNumbers = useAsync(
    () =>
      answer(requestKey('business-numbers'), () => api.listBusinessNumbers()),
    [api],
  );
  // With one number, which number sent a message says nothing.
  const showBusinessNumber = (businessNumbers.value?.length ?? 0) > 1;

  const resetFilters = () =>
    updateQuery({ filter: DEFAULT_FILTER, customRange: false });
  const selectCategory = (category: Category | undefined) => {
    const alreadyOnlyThis =
      filter.category?.length === 1 && filter.category[0] === category;
    updateQuery({
      filter: {
        ...filter,
        category: category && !alreadyOnlyThis ? [category] : undefined,
      },
    });
  };

  const filterBar = (
    <FilterBar
      filter={filter}
      customRange={query.customRange}
      errorCodes={errorCodes.value ?? []}
      businessNumbers={businessNumbers.value}
      onChange={(newFilter, customRange) =>
        updateQuery({ filter: newFilter, customRange })
      }
      onReset={resetFilters}
    />
  );

  // Only users who may see the statistics get the tabs at all. Material UI's
  // Tabs measure themselves after every render of theirs, which lays out the
  // whole page: memoised, they render again only when the tab changes, not
  // whenever an answer changes the list.
  const tabs = useMemo(
    () =>
      statistics.allowed && (
        <Box mb={2}>
          <Tabs
            value={tab}
            onChange={(_event, value) => updateQuery({ tab: value })}
            indicatorColor="primary"
            textColor="primary"
            aria-label={t('page.tabs')}
          >
            <Tab value="messages" label={t('page.messagesTab')} />
            <Tab value="statistics" label={t('page.statisticsTab')} />
          </Tabs>
        </Box>
      ),
    [statistics.allowed, tab, updateQuery, t],
  );
  const openMessage = useCallback(
    (message: FailedMessage) => updateQuery({ messageId: message.id }),
    [updateQuery],
  );
  const pausedAccounts = autoRetry.value?.paused && (
    <PausedAccountsBanner
      paused={autoRetry.value.paused}
      canResume={bulkRetry.allowed}
      onResumed={reload}
    />
  );
  // Admins and managers watch the automatic run; agents do not.
  const automaticRunPanel = (bulkRetry.allowed || statistics.allowed) && (
    <AutoRetryPanel
      status={autoRetry.value}
      error={autoRetry.error}
      canRunNow={bulkRetry.allowed}
      onRunFinished={reload}
    />
  );
  if (showStatistics) {
    return (
      <>
        {pausedAccounts}
        {tabs}
        <Suspense fallback={<Progress />}>
          <StatisticsPanel />
        </Suspense>
      </>
    );
  }

  return (
    <>
      {pausedAccounts}
      {tabs}
      {automaticRunPanel}
      <SummaryCards
        summary={summary.value}
        selectedCategories={filter.category ?? []}
        states={filter.state ?? []}
        onSelectCategory={selectCategory}
      />
      <Box mt={3} mb={2}>
        {isSmallScreen ? (
          <FilterDrawer
            activeCount={countActiveFilters(filter, query.customRange)}
          >
            {filterBar}
          </FilterDrawer>
        ) : (
          // On the page's grey, the fields' grey labels would lack contrast.
          <Paper variant="outlined">
            <Box p={2}>{filterBar}</Box>
          </Paper>
        )}
      </Box>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mb={1}
      >
        <Typography variant="body2">
          {autoRetry.value?.enabled && autoRetry.value.nextRunAt
            ? t('page.nextAutomaticRun', {
                time: formatExactTime(autoRetry.value.nextRunAt),
              })
            : ''}
        </Typography>
        <ExportCsvButton
          filter={filter}
          onError={error =>
            alertApi.post({
              message: t('page.exportFailed', { error: describeError(error) }),
              severity: 'error',
            })
          }
        />
      </Box>
      {bulkRetry.allowed && (
        <BulkRetryControls
          selectedIds={selectedIds}
          filter={filter}
          totalCount={shownList?.result.totalCount ?? 0}
          onFinished={() => {
            setSelectedIds(new Set());
            reload();
          }}
        />
      )}
      <MessageList
        messages={shownList?.result.items}
        totalCount={shownList?.result.totalCount ?? 0}
        loading={listLoading}
        error={list.error}
        sort={sort}
        order={order}
        page={page}
        pageSize={pageSize}
        maxAutomaticAttempts={
          autoRetry.value?.maxAttempts ?? DEFAULT_MAX_AUTOMATIC_ATTEMPTS
        }
        automaticRun={autoRetry.value}
        showBusinessNumber={showBusinessNumber}
        onSort={(newSort, newOrder) =>
          updateQuery({ sort: newSort, order: newOrder })
        }
        onPageChange={(newPage, newPageSize) =>
          updateQuery({ page: newPage, pageSize: newPageSize })
        }
        onOpen={openMessage}
        onRetryLoad={list.retry}
        onResetFilters={resetFilters}
        selection={
          bulkRetry.allowed
            ? { selectedIds, onChange: setSelectedIds }
            : undefined
        }
      />
      <MessageDetailsDrawer
        messageId={query.messageId}
        refreshKey={reloads.count}
        automaticRun={autoRetry.value}
        onClose={() => updateQuery({ messageId: undefined })}
        onRetried={reload}
      />
    </>
  );
}

/** The Failed Messages page with its own header, for apps on the legacy frontend system. */
export function FailedMessagesPage() {
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>
        <FailedMessagesContent />
      </Content>
    </Page>
  );
}
