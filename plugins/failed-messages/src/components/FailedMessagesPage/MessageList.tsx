import { Progress } from '@backstage/core-components';
import {
  FailedMessage,
  SortField,
  SortOrder,
} from '@internal/plugin-failed-messages-common';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Checkbox from '@material-ui/core/Checkbox';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import Alert from '@material-ui/lab/Alert';
import { Theme, makeStyles } from '@material-ui/core/styles';
import { memo, useCallback } from 'react';
import { CategoryChip } from './CategoryChip';
import { describeError } from './describeError';
import {
  formatExactTime,
  formatRelativeTime,
  formatShortTime,
  retryStatusLabels,
} from './labels';
import { AutomaticRun, nextAutomaticRetry } from './nextAutomaticRetry';
import { PAGE_SIZE_OPTIONS } from './useFailedMessagesQuery';

const useStyles = makeStyles(theme => ({
  row: {
    cursor: 'pointer',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  sortControl: {
    display: 'flex',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  cards: {
    listStyle: 'none',
    padding: 0,
    margin: 0,
    display: 'grid',
    gap: theme.spacing(1),
  },
  // Backstage's theme lays cards out as a column; the checkbox goes beside the content.
  card: {
    display: 'flex',
    flexDirection: 'row',
    alignItems: 'flex-start',
  },
  cardAction: {
    flex: 1,
  },
  state: {
    padding: theme.spacing(4),
    textAlign: 'center',
  },
  // Backstage's theme lets table text break anywhere; in a narrow column a
  // heading with a sort arrow then broke inside a word ("Faile d at").
  heading: {
    wordBreak: 'normal',
    overflowWrap: 'normal',
  },
}));

type Column = { label: string; sortField?: SortField };

const columns: Column[] = [
  { label: 'Recipient' },
  { label: 'Error', sortField: 'errorCode' },
  { label: 'Category' },
  { label: 'Failed at', sortField: 'failedAt' },
  { label: 'Attempts', sortField: 'attempts' },
  { label: 'Next automatic retry', sortField: 'nextAutomaticRetryAt' },
  { label: 'Retry status' },
];

const sortableColumns = columns.filter((column): column is Required<Column> =>
  Boolean(column.sortField),
);

/** The cards' stand-in for the table's sortable column headers. */
function CardSortControl(props: {
  sort: SortField;
  order: SortOrder;
  onSort: (sort: SortField, order: SortOrder) => void;
}) {
  const { sort, order, onSort } = props;
  const classes = useStyles();
  return (
    <div className={classes.sortControl}>
      <TextField
        id="failed-messages-sort"
        select
        fullWidth
        variant="outlined"
        size="small"
        label="Sort by"
        value={sort}
        onChange={event => onSort(event.target.value as SortField, order)}
      >
        {sortableColumns.map(column => (
          <MenuItem key={column.sortField} value={column.sortField}>
            {column.label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="failed-messages-order"
        select
        fullWidth
        variant="outlined"
        size="small"
        label="Order"
        value={order}
        onChange={event => onSort(sort, event.target.value as SortOrder)}
      >
        <MenuItem value="desc">Descending</MenuItem>
        <MenuItem value="asc">Ascending</MenuItem>
      </TextField>
    </div>
  );
}

function attemptsText(message: FailedMessage, maxAutomaticAttempts: number) {
  return `${message.automaticAttempts}/${maxAutomaticAttempts} auto, ${message.manualAttempts} manual`;
}

function Time(props: { iso: string | null; fallback: string }) {
  if (!props.iso) {
    return <>{props.fallback}</>;
  }
  return (
    <time dateTime={props.iso} title={formatExactTime(props.iso)}>
      {formatRelativeTime(props.iso)}
    </time>
  );
}

/** When the automatic retry sends the message again, or "None". */
function NextAutomaticRetryTime(props: {
  message: FailedMessage;
  automaticRun?: AutomaticRun;
}) {
  const next = nextAutomaticRetry(
    props.message.nextAutomaticRetryAt,
    props.automaticRun,
  );
  if (next.kind === 'none') {
    return <>None</>;
  }
  if (next.kind === 'after') {
    return <Time iso={next.at} fallback="" />;
  }
  if (!next.at) {
    return <>next run</>;
  }
  return (
    <time dateTime={next.at} title={formatExactTime(next.at)}>
      next run ({formatShortTime(next.at)})
    </time>
  );
}

/** Which messages are selected, for a bulk retry. */
export interface MessageSelection {
  selectedIds: ReadonlySet<string>;
  /**
   * Applies a change to the selection as it is when the change applies (a
   * state setter fits), so a callback that changes it need not be renewed
   * with every selection.
   */
  onChange: (
    change: (selectedIds: ReadonlySet<string>) => ReadonlySet<string>,
  ) => void;
}

/** The selection with `id` added, or removed if it was there. */
function toggled(selectedIds: ReadonlySet<string>, id: string) {
  const next = new Set(selectedIds);
  if (next.has(id)) {
    next.delete(id);
  } else {
    next.add(id);
  }
  return next;
}

function selectLabel(message: FailedMessage) {
  return `Select message to ${message.recipient}`;
}

/** The checkbox of one message; its clicks do not open the details. */
function SelectMessageCheckbox(props: {
  message: FailedMessage;
  selected: boolean;
  onToggle: (message: FailedMessage) => void;
}) {
  const { message, selected, onToggle } = props;
  return (
    <Checkbox
      checked={selected}
      inputProps={{ 'aria-label': selectLabel(message) }}
      onClick={event => event.stopPropagation()}
      onKeyDown={event => event.stopPropagation()}
      onChange={() => onToggle(message)}
    />
  );
}

/** What a row or card of one message shows and does. */
interface MessageItemProps {
  message: FailedMessage;
  maxAutomaticAttempts: number;
  automaticRun?: AutomaticRun;
  onOpen: (message: FailedMessage) => void;
  /** Whether the message is selected, where messages can be selected. */
  selected?: boolean;
  onToggleSelected: (message: FailedMessage) => void;
}

/** One message as a row of the table. */
function MessageRow(props: MessageItemProps) {
  const { message, selected, onOpen } = props;
  const classes = useStyles();
  return (
    <TableRow
      hover
      tabIndex={0}
      className={classes.row}
      aria-label={`Details of the message to ${message.recipient}`}
      onClick={() => onOpen(message)}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(message);
        }
      }}
    >
      {selected !== undefined && (
        <TableCell padding="checkbox">
          <SelectMessageCheckbox
            message={message}
            selected={selected}
            onToggle={props.onToggleSelected}
          />
        </TableCell>
      )}
      <TableCell style={{ whiteSpace: 'nowrap' }}>
        {message.recipient}
      </TableCell>
      <TableCell>
        <strong>{message.error.code}</strong>
        {message.error.title ? ` ${message.error.title}` : ''}
      </TableCell>
      <TableCell>
        <CategoryChip category={message.category} />
      </TableCell>
      <TableCell>
        <Time iso={message.failedAt} fallback="" />
      </TableCell>
      <TableCell>{attemptsText(message, props.maxAutomaticAttempts)}</TableCell>
      <TableCell>
        <NextAutomaticRetryTime
          message={message}
          automaticRun={props.automaticRun}
        />
      </TableCell>
      <TableCell>{retryStatusLabels[message.retryStatus]}</TableCell>
    </TableRow>
  );
}

/** One message as a card, on phones. */
function MessageCard(props: MessageItemProps) {
  const { message, selected, onOpen } = props;
  const classes = useStyles();
  return (
    <li>
      <Card variant="outlined" className={classes.card}>
        {selected !== undefined && (
          <SelectMessageCheckbox
            message={message}
            selected={selected}
            onToggle={props.onToggleSelected}
          />
        )}
        <CardActionArea
          className={classes.cardAction}
          aria-label={`Details of the message to ${message.recipient}`}
          onClick={() => onOpen(message)}
        >
          <CardContent>
            <Typography variant="subtitle1" component="p">
              {message.recipient} <CategoryChip category={message.category} />
            </Typography>
            <Typography variant="body2">
              <strong>{message.error.code}</strong>
              {message.error.title ? ` ${message.error.title}` : ''}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              Failed <Time iso={message.failedAt} fallback="" /> ·{' '}
              {attemptsText(message, props.maxAutomaticAttempts)} ·{' '}
              {retryStatusLabels[message.retryStatus]}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              Next automatic retry:{' '}
              <NextAutomaticRetryTime
                message={message}
                automaticRun={props.automaticRun}
              />
            </Typography>
          </CardContent>
        </CardActionArea>
      </Card>
    </li>
  );
}

// The page renders again as each of its requests answers: memoised, the rows
// and cards whose message did not change are not rendered again.
const MemoisedMessageRow = memo(MessageRow);
const MemoisedMessageCard = memo(MessageCard);

/** Selects or clears every message of the current page. */
function SelectPageCheckbox(props: {
  messages: FailedMessage[];
  selection: MessageSelection;
}) {
  const { messages, selection } = props;
  const selectedOnPage = messages.filter(message =>
    selection.selectedIds.has(message.id),
  ).length;
  const all = messages.length > 0 && selectedOnPage === messages.length;
  return (
    <Checkbox
      checked={all}
      indeterminate={selectedOnPage > 0 && !all}
      disabled={messages.length === 0}
      inputProps={{ 'aria-label': 'Select all messages on this page' }}
      onChange={() =>
        selection.onChange(selectedIds => {
          const next = new Set(selectedIds);
          messages.forEach(message =>
            all ? next.delete(message.id) : next.add(message.id),
          );
          return next;
        })
      }
    />
  );
}

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
    onOpen: props.onOpen,
    selected: selectedIds && selectedIds.has(message.id),
    onToggleSelected: toggleSelected,
  });

  let body;
  if (error) {
    body = (
      <div className={classes.state}>
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={props.onRetryLoad}>
              Retry
            </Button>
          }
        >
          Could not load failed messages: {describeError(error)}
        </Alert>
      </div>
    );
  } else if (!messages && loading) {
    body = <Progress />;
  } else if (!messages?.length) {
    body = (
      <div className={classes.state}>
        <Typography paragraph>
          No failed messages match these filters
        </Typography>
        <Button variant="outlined" onClick={props.onResetFilters}>
          Reset filters
        </Button>
      </div>
    );
  }

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
      <section aria-label="Message list">
        <CardSortControl sort={sort} order={order} onSort={props.onSort} />
        {loading && messages && <Progress />}
        {body ?? (
          <ul className={classes.cards}>
            {messages!.map(message => (
              <MemoisedMessageCard key={message.id} {...itemProps(message)} />
            ))}
          </ul>
        )}
        {pagination}
      </section>
    );
  }

  return (
    <section aria-label="Message list">
      {loading && messages && <Progress />}
      <TableContainer>
        <Table size="small" aria-label="Failed messages">
          <TableHead>
            <TableRow>
              {selection && (
                <TableCell padding="checkbox">
                  <SelectPageCheckbox
                    messages={body ? [] : messages ?? []}
                    selection={selection}
                  />
                </TableCell>
              )}
              {columns.map(column => (
                <TableCell
                  key={column.label}
                  className={classes.heading}
                  sortDirection={column.sortField === sort ? order : false}
                >
                  {column.sortField ? (
                    <TableSortLabel
                      active={column.sortField === sort}
                      direction={column.sortField === sort ? order : 'asc'}
                      onClick={() =>
                        props.onSort(
                          column.sortField!,
                          column.sortField === sort && order === 'asc'
                            ? 'desc'
                            : 'asc',
                        )
                      }
                    >
                      {column.label}
                    </TableSortLabel>
                  ) : (
                    column.label
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          {!body && (
            <TableBody>
              {messages!.map(message => (
                <MemoisedMessageRow key={message.id} {...itemProps(message)} />
              ))}
            </TableBody>
          )}
        </Table>
      </TableContainer>
      {body}
      {pagination}
    </section>
  );
}
