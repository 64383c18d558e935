import { createTheme, darken, DEFAULT_THEME, luminance, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Mantine's default shade 6 gives links and filled buttons 4.3:1 on white; 7 meets WCAG AA (5:1).
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  cursorType: 'pointer',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
});

/** WCAG contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/**
 * The text colour of "light" badges and alerts on their tinted background: Mantine uses shade 9,
 * which is below 4.5:1 for yellow, orange, teal and others. Darken it just enough to pass AA.
 */
function accessibleLightColors(): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, shades] of Object.entries(DEFAULT_THEME.colors)) {
    let color = shades[9];
    for (let amount = 0.05; contrast(color, shades[1]) < 4.6 && amount <= 0.6; amount += 0.05) color = darken(shades[9], amount);
    variables[`--mantine-color-${name}-light-color`] = color;
  }
  return variables;
}

/**
 * Mantine's "dimmed" text (gray 6 on white, 3.3:1; dark 2 on dark 7, 4.0:1) is below WCAG AA for
 * body text, and it is used for every subtitle and hint. One shade stronger in each scheme passes.
 */
const LIGHT_COLORS = accessibleLightColors();

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', ...LIGHT_COLORS },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
