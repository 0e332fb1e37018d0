import { createTheme, getContrastRatio, Theme } from '@material-ui/core/styles';
import { categoryColours } from './categoryColours';

// The MUI defaults the Backstage themes keep for success and error.
const themes: Array<[string, Theme]> = [
  ['light', createTheme()],
  ['dark', createTheme({ palette: { type: 'dark' } })],
];

describe('categoryColours', () => {
  it.each(themes)(
    'makes Retryable green, Non-Retryable red and Business Logic yellow, each with black on it, in the %s theme',
    (_, theme) => {
      expect(categoryColours(theme, 'retryable')).toEqual({
        main: '#4caf50',
        contrastText: '#000',
      });
      expect(categoryColours(theme, 'non-retryable')).toEqual({
        main: '#f44336',
        contrastText: '#000',
      });
      expect(categoryColours(theme, 'business-logic')).toEqual({
        main: '#ffd600',
        contrastText: '#000',
      });
    },
  );

  it.each(themes)(
    'keeps text on every colour at AA in the %s theme',
    (_, theme) => {
      for (const category of [
        'retryable',
        'non-retryable',
        'business-logic',
      ] as const) {
        const { main, contrastText } = categoryColours(theme, category);
        expect(getContrastRatio(main, contrastText)).toBeGreaterThanOrEqual(
          4.5,
        );
      }
    },
  );

  it('picks white on a colour too dark for black', () => {
    const theme = createTheme({ palette: { success: { main: '#1b5e20' } } });
    expect(categoryColours(theme, 'retryable').contrastText).toBe('#fff');
  });
});
