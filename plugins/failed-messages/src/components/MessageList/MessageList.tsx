import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  FailedMessage,
  SortField,
  SortOrder,
} from '@msgops/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import Alert from '@material-ui/lab/Alert';
import { Theme, makeStyles } from '@material-ui/core/styles';
import { useCallback } from 'react';
import { PAGE_SIZE_OPTIONS } from '../../hooks';
import { failedMessagesTranslationRef } from '../../translation';
import { describeError } from '../../utils/describeError';
import { AutomaticRun } from '../../utils/nextAutomaticRetry';
import { CardSortControl, MessageCards } from './MessageCards';
import { MessageItemProps } from './MessageFields';
import { MessageSelection, toggled } from './MessageSelection';
import { MessageTable } from './MessageTable';

const useStyles = makeStyles(theme => ({
  state: {
    padding: theme.spacing(4),
    textAlign: 'center',
  },
}));

export interface MessageListProps {
  messages?: FailedMessage[];
  totalCount: number;
  loading: boolean;
  error?: Error;
  sort: SortField;
  order: SortOrder;
  page: number;
  pageSize: number;
  maxAutomaticAttempts: number;
  /** The automatic retry run, once known: a message waits for it. */
  automaticRun?: AutomaticRun;
  /** Shows which business number sent each message: more than one is configured. */
  showBusinessNumber?: boolean;
  onSort: (sort: SortField, order: SortOrder) => void;
  onPageChange: (page: number, pageSize: number) => void;
  onOpen: (message: FailedMessage) => void;
  onRetryLoad: () => void;
  onResetFilters: () => void;
  /** Shows a checkbox per message when given. */
  selection?: MessageSelection;
}

/** The failed messages of the current filter, one page at a time, sorted by the server. */
export function MessageList(props: MessageListProps) {
  const { messages, totalCount, loading, error, sort, order, selection } =
    props;
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  // Phones get one card per message instead of a wide table.
  const isSmallScreen = useMediaQuery((theme: Theme) =>
    theme.breakpoints.down('xs'),
  );
  const selectedIds = selection?.selectedIds;
  // The same callback across selections, so a toggle renders only the
  // memoised row it changes, not every row.
  const onSelectionChange = selection?.onChange;
  const toggleSelected = useCallback(
    (message: FailedMessage) =>
      onSelectionChange?.(current => toggled(current, message.id)),
    [onSelectionChange],
  );
  const itemProps = (message: FailedMessage): MessageItemProps => ({
    message,
    maxAutomaticAttempts: props.maxAutomaticAttempts,
    automaticRun: props.automaticRun,
    showBusinessNumber: Boolean(props.showBusinessNumber),
    onOpen: props.onOpen,
    selected: selectedIds && selectedIds.has(message.id),
    onToggleSelected: toggleSelected,
  });

  // What shows instead of the messages, if anything.
  let state;
  if (error) {
    state = (
      <div className={classes.state}>
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={props.onRetryLoad}>
              {t('messageList.retryLoad')}
            </Button>
          }
        >
          {t('messageList.loadFailed', { error: describeError(error) })}
        </Alert>
      </div>
    );
  } else if (!messages && loading) {
    state = <Progress />;
  } else if (!messages?.length) {
    state = (
      <div className={classes.state}>
        <Typography paragraph>{t('messageList.empty')}</Typography>
        <Button variant="outlined" onClick={props.onResetFilters}>
          {t('messageList.resetFilters')}
        </Button>
      </div>
    );
  }
  const shownMessages = state ? undefined : messages;

  const pagination = (
    <TablePagination
      component="div"
      count={totalCount}
      page={props.page}
      rowsPerPage={props.pageSize}
      rowsPerPageOptions={PAGE_SIZE_OPTIONS}
      onPageChange={(_event, page) => props.onPageChange(page, props.pageSize)}
      onRowsPerPageChange={event =>
        props.onPageChange(0, Number(event.target.value))
      }
    />
  );

  if (isSmallScreen) {
    return (
      <section aria-label={t('messageList.title')}>
        <CardSortControl sort={sort} order={order} onSort={props.onSort} />
        {loading && messages && <Progress />}
        {shownMessages ? (
          <MessageCards messages={shownMessages} itemProps={itemProps} />
        ) : (
          state
        )}
        {pagination}
      </section>
    );
  }

  return (
    <section aria-label={t('messageList.title')}>
      {loading && messages && <Progress />}
      <MessageTable
        messages={shownMessages}
        sort={sort}
        order={order}
        onSort={props.onSort}
        selection={selection}
        showBusinessNumber={Boolean(props.showBusinessNumber)}
        itemProps={itemProps}
      />
      {state}
      {pagination}
    </section>
  );
}
