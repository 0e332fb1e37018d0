import {
  Category,
  FailedMessageSummary,
} from '@internal/plugin-failed-messages-common';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import GavelIcon from '@material-ui/icons/Gavel';
import ReplayIcon from '@material-ui/icons/Replay';
import { ReactNode } from 'react';
import { categoryColor } from './CategoryChip';
import { categoryLabels } from './labels';

const useStyles = makeStyles(theme => ({
  content: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  selected: {
    outline: `2px solid ${theme.palette.primary.main}`,
  },
  retryable: { color: categoryColor(theme, 'retryable') },
  'non-retryable': { color: categoryColor(theme, 'non-retryable') },
  'business-logic': { color: categoryColor(theme, 'business-logic') },
  total: { color: theme.palette.text.secondary },
}));

const cards: Array<{
  key: keyof FailedMessageSummary;
  category?: Category;
  label: string;
  description: string;
  icon: ReactNode;
}> = [
  {
    key: 'total',
    label: 'Total',
    description: 'All failed messages',
    icon: <ErrorOutlineIcon fontSize="large" />,
  },
  {
    key: 'retryable',
    category: 'retryable',
    label: categoryLabels.retryable,
    description: 'Temporary issue: can be sent again',
    icon: <ReplayIcon fontSize="large" />,
  },
  {
    key: 'nonRetryable',
    category: 'non-retryable',
    label: categoryLabels['non-retryable'],
    description: 'Permanent problem: cannot be resent',
    icon: <BlockIcon fontSize="large" />,
  },
  {
    key: 'businessLogic',
    category: 'business-logic',
    label: categoryLabels['business-logic'],
    description: 'A business rule was violated',
    icon: <GavelIcon fontSize="large" />,
  },
];

export interface SummaryCardsProps {
  summary?: FailedMessageSummary;
  /** The categories the list is filtered by. */
  selectedCategories: Category[];
  /** Called with a category to filter by it, or undefined to show all. */
  onSelectCategory: (category: Category | undefined) => void;
}

/** Counts of failed messages in total and per category; a card click filters the list. */
export function SummaryCards(props: SummaryCardsProps) {
  const { summary, selectedCategories, onSelectCategory } = props;
  const classes = useStyles();

  return (
    <Grid container spacing={2} component="section" aria-label="Summary">
      {cards.map(card => {
        const selected = card.category
          ? selectedCategories.length === 1 &&
            selectedCategories[0] === card.category
          : selectedCategories.length === 0;
        return (
          <Grid item xs={6} md={3} key={card.key}>
            <Card className={selected ? classes.selected : undefined}>
              <CardActionArea
                aria-pressed={selected}
                aria-label={`${card.label}: ${
                  summary ? summary[card.key] : 'loading'
                }`}
                onClick={() => onSelectCategory(card.category)}
              >
                <CardContent className={classes.content}>
                  <span className={classes[card.category ?? 'total']}>
                    {card.icon}
                  </span>
                  <div>
                    <Typography variant="h4" component="p">
                      {summary ? summary[card.key] : '–'}
                    </Typography>
                    <Typography variant="subtitle1" component="h2">
                      {card.label}
                    </Typography>
                    <Typography variant="body2" color="textSecondary">
                      {card.description}
                    </Typography>
                  </div>
                </CardContent>
              </CardActionArea>
            </Card>
          </Grid>
        );
      })}
    </Grid>
  );
}
