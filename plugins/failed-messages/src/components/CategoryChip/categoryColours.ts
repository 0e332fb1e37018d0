import { Category } from '@msgops/plugin-failed-messages-common';
import yellow from '@material-ui/core/colors/yellow';
import { Theme, getContrastRatio } from '@material-ui/core/styles';

/** A category's colour, and the colour of text and icons drawn on it. */
export interface CategoryColours {
  main: string;
  contrastText: string;
}

// The theme has no yellow: its warning colour is orange (#ff9800).
const BUSINESS_LOGIC_YELLOW = yellow.A700;

function mainColour(theme: Theme, category: Category): string {
  switch (category) {
    case 'retryable':
      return theme.palette.success.main;
    case 'non-retryable':
      return theme.palette.error.main;
    default:
      return BUSINESS_LOGIC_YELLOW;
  }
}

/**
 * Green, red and yellow, as the product defines the categories, with black or
 * white on them, whichever contrasts more. The Backstage light and dark themes
 * keep MUI's green and red, so both give the same pairs (WCAG 2 contrast; AA
 * asks 4.5:1 of text, 3:1 of icons):
 *   Retryable       #4caf50, black on it  7.6:1 (white 2.8:1)
 *   Non-Retryable   #f44336, black on it  5.7:1 (white 3.7:1)
 *   Business Logic  #ffd600, black on it 14.9:1 (white 1.4:1)
 */
export function categoryColours(
  theme: Theme,
  category: Category,
): CategoryColours {
  const main = mainColour(theme, category);
  const { black, white } = theme.palette.common;
  return {
    main,
    contrastText:
      getContrastRatio(main, black) >= getContrastRatio(main, white)
        ? black
        : white,
  };
}
