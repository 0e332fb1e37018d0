import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TranslationFunction } from '@backstage/frontend-plugin-api';
import {
  Category,
  FailedMessageSummary,
  MESSAGE_STATES,
  MessageState,
} from '@msgops/plugin-failed-messages-common';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { SvgIconProps } from '@material-ui/core/SvgIcon';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme, makeStyles } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import GavelIcon from '@material-ui/icons/Gavel';
import ReplayIcon from '@material-ui/icons/Replay';
import { ComponentType, useId } from 'react';
import { failedMessagesTranslationRef } from '../../translation';
import { categoryColours } from '../CategoryChip';

function badgeColours(theme: Theme, category: Category) {
  const { main, contrastText } = categoryColours(theme, category);
  return { backgroundColor: main, color: contrastText };
}

const useStyles = makeStyles(theme => ({
  content: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  compactContent: {
    padding: theme.spacing(1.5),
    '&:last-child': {
      paddingBottom: theme.spacing(1.5),
    },
  },
  compactCount: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  selected: {
    outline: `2px solid ${theme.palette.primary.main}`,
  },
  // The icon in black on a disc of the category's colour: a yellow icon on
  // white paper would be 1.4:1, and 3:1 is the least for an icon. Black on
  // the three colours is 7.6, 5.7 and 14.9:1 (see categoryColours).
  badge: {
    display: 'inline-flex',
    padding: theme.spacing(1),
    borderRadius: '50%',
  },
  compactBadge: {
    padding: theme.spacing(0.5),
  },
  retryable: badgeColours(theme, 'retryable'),
  'non-retryable': badgeColours(theme, 'non-retryable'),
  'business-logic': badgeColours(theme, 'business-logic'),
  // Light rgba(0,0,0,0.54) on #FFFFFF 4.6:1, dark rgba(255,255,255,0.7) on #424242 5.9:1.
  total: { color: theme.palette.text.secondary },
}));

/** The cards, left to right; each category card is labelled with the category's name. */
const cards: Array<{
  key: keyof FailedMessageSummary;
  category?: Category;
  description:
    | 'totalDescription'
    | 'retryableDescription'
    | 'nonRetryableDescription'
    | 'businessLogicDescription';
  Icon: ComponentType<SvgIconProps>;
}> = [
  { key: 'total', description: 'totalDescription', Icon: ErrorOutlineIcon },
  {
    key: 'retryable',
    category: 'retryable',
    description: 'retryableDescription',
    Icon: ReplayIcon,
  },
  {
    key: 'nonRetryable',
    category: 'non-retryable',
    description: 'nonRetryableDescription',
    Icon: BlockIcon,
  },
  {
    key: 'businessLogic',
    category: 'business-logic',
    description: 'businessLogicDescription',
    Icon: GavelIcon,
  },
];

export interface SummaryCardsProps {
  summary?: FailedMessageSummary;
  /** The categories the list is filtered by. */
  selectedCategories: Category[];
  /** Called with a category to filter by it, or undefined to show all. */
  onSelectCategory: (category: Category | undefined) => void;
  /** The states the counts are of; none is every state. */
  states: MessageState[];
}

type Translate = TranslationFunction<typeof failedMessagesTranslationRef.T>;

/** What the cards count, in words: they follow the filters, state included. */
function countingCaption(t: Translate, states: MessageState[]): string {
  const chosen = MESSAGE_STATES.filter(state => states.includes(state));
  if (chosen.length === 0 || chosen.length === MESSAGE_STATES.length) {
    return t('summaryCards.counting.everyState');
  }
  if (chosen.length === 1) {
    return t(`summaryCards.counting.${chosen[0]}`);
  }
  return t('summaryCards.counting.states', {
    states: t('summaryCards.counting.stateWordsJoin', {
      first: t(`summaryCards.counting.stateWords.${chosen[0]}`),
      second: t(`summaryCards.counting.stateWords.${chosen[1]}`),
    }),
  });
}

/** Counts of failed messages in total and per category; a card click filters the list. */
export function SummaryCards(props: SummaryCardsProps) {
  const { summary, selectedCategories, onSelectCategory, states } = props;
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  const captionId = useId();
  // Two cards side by side on a phone leave room for the icon and the count on
  // one line and the label below, but not for the description.
  const compact = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));

  return (
    <Grid
      container
      spacing={2}
      component="section"
      aria-label={t('summaryCards.title')}
      aria-describedby={captionId}
    >
      <Grid item xs={12}>
        {/* Not the secondary grey: on the page's grey it lacks contrast. */}
        <Typography id={captionId} variant="body2">
          {countingCaption(t, states)}
        </Typography>
      </Grid>
      {cards.map(card => {
        const label = card.category
          ? t(`category.${card.category}`)
          : t('summaryCards.total');
        const selected = card.category
          ? selectedCategories.length === 1 &&
            selectedCategories[0] === card.category
          : selectedCategories.length === 0;
        const count = summary ? summary[card.key] : '–';
        const icon = (
          <span
            className={[
              classes.badge,
              compact && classes.compactBadge,
              classes[card.category ?? 'total'],
            ]
              .filter(Boolean)
              .join(' ')}
          >
            <card.Icon fontSize={compact ? 'medium' : 'large'} />
          </span>
        );
        return (
          <Grid item xs={6} md={3} key={card.key}>
            <Card className={selected ? classes.selected : undefined}>
              <CardActionArea
                aria-pressed={selected}
                aria-label={t('summaryCards.cardLabel', {
                  label,
                  value: summary
                    ? String(summary[card.key])
                    : t('summaryCards.loading'),
                })}
                onClick={() => onSelectCategory(card.category)}
              >
                <CardContent
                  className={compact ? classes.compactContent : classes.content}
                >
                  {compact ? (
                    <>
                      <div className={classes.compactCount}>
                        {icon}
                        <Typography variant="h5" component="p">
                          {count}
                        </Typography>
                      </div>
                      <Typography variant="body2" component="h2">
                        {label}
                      </Typography>
                    </>
                  ) : (
                    <>
                      {icon}
                      <div>
                        <Typography variant="h4" component="p">
                          {count}
                        </Typography>
                        <Typography variant="subtitle1" component="h2">
                          {label}
                        </Typography>
                        <Typography variant="body2" color="textSecondary">
                          {t(`summaryCards.${card.description}`)}
                        </Typography>
                      </div>
                    </>
                  )}
                </CardContent>
              </CardActionArea>
            </Card>
          </Grid>
        );
      })}
    </Grid>
  );
}
