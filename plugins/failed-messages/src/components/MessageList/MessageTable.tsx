import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  FailedMessage,
  SortField,
  SortOrder,
} from '@msgops/plugin-failed-messages-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { makeStyles } from '@material-ui/core/styles';
import { memo } from 'react';
import { failedMessagesTranslationRef } from '../../translation';
import { BusinessNumberLabel } from '../BusinessNumber';
import { CategoryChip } from '../CategoryChip';
import {
  AttemptsText,
  MessageItemProps,
  NextAutomaticRetryTime,
  Time,
  statusText,
} from './MessageFields';
import {
  MessageSelection,
  SelectMessageCheckbox,
  SelectPageCheckbox,
} from './MessageSelection';

const useStyles = makeStyles(theme => ({
  row: {
    cursor: 'pointer',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  // Backstage's theme lets table text break anywhere; in a narrow column a
  // heading with a sort arrow then broke inside a word ("Faile d at").
  heading: {
    wordBreak: 'normal',
    overflowWrap: 'normal',
  },
}));

/** The table's columns, left to right, named by their heading's message. */
const columns: Array<{
  key:
    | 'recipient'
    | 'businessNumber'
    | 'campaign'
    | 'error'
    | 'category'
    | 'failedAt'
    | 'attempts'
    | 'nextAutomaticRetryAt'
    | 'retryStatus';
  sortField?: SortField;
}> = [
  { key: 'recipient' },
  { key: 'businessNumber' },
  { key: 'campaign' },
  { key: 'error', sortField: 'errorCode' },
  { key: 'category' },
  { key: 'failedAt', sortField: 'failedAt' },
  { key: 'attempts', sortField: 'attempts' },
  { key: 'nextAutomaticRetryAt', sortField: 'nextAutomaticRetryAt' },
  { key: 'retryStatus' },
];

/** The columns that sort the list, in the order of the table. */
export const sortableColumns = columns.filter(
  (column): column is Required<(typeof columns)[number]> =>
    Boolean(column.sortField),
);

/** One message as a row of the table. */
function MessageRow(props: MessageItemProps) {
  const { message, selected, onOpen } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <TableRow
      hover
      tabIndex={0}
      className={classes.row}
      aria-label={t('messageList.openDetails', {
        recipient: message.recipient,
      })}
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
      {props.showBusinessNumber && (
        <TableCell>
          <BusinessNumberLabel businessNumber={message.businessNumber} />
        </TableCell>
      )}
      <TableCell>{message.campaign}</TableCell>
      <TableCell>
        <strong>{message.error.code}</strong>
        {message.error.title ? ` ${message.error.title}` : ''}
      </TableCell>
      <TableCell>
        <CategoryChip category={message.category} />
      </TableCell>
      <TableCell>
        <Time iso={message.failedAt} />
      </TableCell>
      <TableCell>
        <AttemptsText
          message={message}
          maxAutomaticAttempts={props.maxAutomaticAttempts}
        />
      </TableCell>
      <TableCell>
        <NextAutomaticRetryTime
          message={message}
          automaticRun={props.automaticRun}
        />
      </TableCell>
      <TableCell>{statusText(t, message)}</TableCell>
    </TableRow>
  );
}

// The page renders again as each of its requests answers: memoised, the rows
// whose message did not change are not rendered again.
const MemoisedMessageRow = memo(MessageRow);

/** The messages as a table whose column headers sort them. */
export function MessageTable(props: {
  /** The rows; none while the list shows a state such as an error instead. */
  messages?: FailedMessage[];
  sort: SortField;
  order: SortOrder;
  onSort: (sort: SortField, order: SortOrder) => void;
  selection?: MessageSelection;
  /** Shows the business number column: more than one is configured. */
  showBusinessNumber: boolean;
  itemProps: (message: FailedMessage) => MessageItemProps;
}) {
  const { messages, sort, order, onSort, selection, itemProps } = props;
  const shownColumns = props.showBusinessNumber
    ? columns
    : columns.filter(column => column.key !== 'businessNumber');
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <TableContainer>
      <Table size="small" aria-label={t('messageList.table')}>
        <TableHead>
          <TableRow>
            {selection && (
              <TableCell padding="checkbox">
                <SelectPageCheckbox
                  messages={messages ?? []}
                  selection={selection}
                />
              </TableCell>
            )}
            {shownColumns.map(({ key, sortField }) => {
              const label = t(`messageList.columns.${key}`);
              return (
                <TableCell
                  key={key}
                  className={classes.heading}
                  sortDirection={sortField === sort ? order : false}
                >
                  {sortField ? (
                    <TableSortLabel
                      active={sortField === sort}
                      direction={sortField === sort ? order : 'asc'}
                      onClick={() =>
                        onSort(
                          sortField,
                          sortField === sort && order === 'asc'
                            ? 'desc'
                            : 'asc',
                        )
                      }
                    >
                      {label}
                    </TableSortLabel>
                  ) : (
                    label
                  )}
                </TableCell>
              );
            })}
          </TableRow>
        </TableHead>
        {messages && (
          <TableBody>
            {messages.map(message => (
              <MemoisedMessageRow key={message.id} {...itemProps(message)} />
            ))}
          </TableBody>
        )}
      </Table>
    </TableContainer>
  );
}
