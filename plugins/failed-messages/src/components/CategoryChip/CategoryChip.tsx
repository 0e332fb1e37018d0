import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Category } from '@msgops/plugin-failed-messages-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { failedMessagesTranslationRef } from '../../translation';
import { categoryColours } from './categoryColours';

function chipColours(theme: Theme, category: Category) {
  const { main, contrastText } = categoryColours(theme, category);
  return { backgroundColor: main, color: contrastText, margin: 0 };
}

// One static rule per category: styles computed from props would give every
// chip of a long list a style sheet of its own.
const useStyles = makeStyles(theme => ({
  retryable: chipColours(theme, 'retryable'),
  'non-retryable': chipColours(theme, 'non-retryable'),
  'business-logic': chipColours(theme, 'business-logic'),
}));

/**
 * The category as a coloured chip; the text keeps it readable without colour.
 * A span, so that it may sit inside a line of text.
 */
export function CategoryChip(props: { category: Category }) {
  const classes = useStyles();
  const { t } = useTranslationRef(failedMessagesTranslationRef);
  return (
    <Chip
      component="span"
      size="small"
      className={classes[props.category]}
      label={t(`category.${props.category}`)}
    />
  );
}
