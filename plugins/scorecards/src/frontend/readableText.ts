/** WCAG relative luminance of a `#rgb` / `#rrggbb` colour; undefined for anything else (theme names). */
export function luminance(color: string): number | undefined {
  const digits = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!digits) return undefined;
  const hex = digits.length === 3 ? [...digits].map((c) => c + c).join('') : digits;
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/**
 * The text colour (near-black or white) with the higher WCAG contrast on a background a
 * scorecard author chose (level colours are free-form hex), or undefined when the colour is a
 * theme name the UI library already knows how to contrast.
 */
export function readableTextOn(background: string): '#111' | '#fff' | undefined {
  const l = luminance(background);
  if (l === undefined) return undefined;
  const dark = 0.0056; // luminance('#111')
  const onDark = (l + 0.05) / (dark + 0.05);
  const onWhite = 1.05 / (l + 0.05);
  return onDark >= onWhite ? '#111' : '#fff';
}
