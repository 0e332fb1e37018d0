import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  FailedMessage,
  SortField,
  SortOrder,
} from '@msgops/plugin-failed-messages-common';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
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
import { SelectMessageCheckbox } from './MessageSelection';
import { sortableColumns } from './MessageTable';

const useStyles = makeStyles(theme => ({
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
}));

/** The cards' stand-in for the table's sortable column headers. */
export function CardSortControl(props: {
  sort: SortField;
  order: SortOrder;
  onSort: (sort: SortField, order: SortOrder) => void;
}) {
  const { sort, order, onSort } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <div className={classes.sortControl}>
      <TextField
        id="failed-messages-sort"
        select
        fullWidth
        variant="outlined"
        size="small"
        label={t('messageList.sortBy')}
        value={sort}
        onChange={event => onSort(event.target.value as SortField, order)}
      >
        {sortableColumns.map(({ key, sortField }) => (
          <MenuItem key={sortField} value={sortField}>
            {t(`messageList.columns.${key}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="failed-messages-order"
        select
        fullWidth
        variant="outlined"
        size="small"
        label={t('messageList.order')}
        value={order}
        onChange={event => onSort(sort, event.target.value as SortOrder)}
      >
        <MenuItem value="desc">{t('messageList.descending')}</MenuItem>
        <MenuItem value="asc">{t('messageList.ascending')}</MenuItem>
      </TextField>
    </div>
  );
}

/** One message as a card, on phones. */
function MessageCard(props: MessageItemProps) {
  const { message, selected, onOpen } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
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
          aria-label={t('messageList.openDetails', {
            recipient: message.recipient,
          })}
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
            {message.campaign && (
              <Typography variant="body2" color="textSecondary">
                {t('messageList.cardCampaign', { campaign: message.campaign })}
              </Typography>
            )}
            {props.showBusinessNumber && (
              <Typography variant="body2" color="textSecondary">
                {t('messageList.cardBusinessNumber', {
                  number: (
                    <BusinessNumberLabel
                      businessNumber={message.businessNumber}
                    />
                  ),
                })}
              </Typography>
            )}
            <Typography variant="body2" color="textSecondary">
              {t('messageList.cardFailed', {
                time: <Time iso={message.failedAt} />,
                attempts: (
                  <AttemptsText
                    message={message}
                    maxAutomaticAttempts={props.maxAutomaticAttempts}
                  />
                ),
                status: statusText(t, message),
              })}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {t('messageList.cardNextAutomaticRetry', {
                next: (
                  <NextAutomaticRetryTime
                    message={message}
                    automaticRun={props.automaticRun}
                  />
                ),
              })}
            </Typography>
          </CardContent>
        </CardActionArea>
      </Card>
    </li>
  );
}

// The page renders again as each of its requests answers: memoised, the cards
// whose message did not change are not rendered again.
const MemoisedMessageCard = memo(MessageCard);

/** The messages as a list of cards, on phones. */
export function MessageCards(props: {
  messages: FailedMessage[];
  itemProps: (message: FailedMessage) => MessageItemProps;
}) {
  const classes = useStyles();
  return (
    <ul className={classes.cards}>
      {props.messages.map(message => (
        <MemoisedMessageCard key={message.id} {...props.itemProps(message)} />
      ))}
    </ul>
  );
}
