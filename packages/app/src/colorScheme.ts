import { localStorageColorSchemeManager } from '@mantine/core';

// Also read by public/color-scheme.js before the first paint.
export const COLOR_SCHEME_STORAGE_KEY = 'atrium-color-scheme';

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });
