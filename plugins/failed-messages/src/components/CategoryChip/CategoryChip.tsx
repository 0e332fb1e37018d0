import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Category } from '@internal/plugin-failed-messages-common';
import Chip from '@material-ui/core/Chip';
import { getContrastRatio, makeStyles, Theme } from '@material-ui/core/styles';
import { failedMessagesTranslationRef } from '../../translation';

/** Green, red and yellow, as the product defines the categories. */
export function categoryColor(theme: Theme, category: Category): string {
  switch (category) {
    case 'retryable':
      return theme.palette.success.main;
    case 'non-retryable':
      return theme.palette.error.main;
    default:
      return theme.palette.warning.main;
  }
}

function chipColours(theme: Theme, category: Category) {
  const background = categoryColor(theme, category);
  return {
    backgroundColor: background,
    // White only where it is readable on the colour (WCAG AA, 4.5:1).
    color:
      getContrastRatio(background, theme.palette.common.white) >= 4.5
        ? theme.palette.common.white
        : theme.palette.common.black,
    margin: 0,
  };
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
