// Sets the colour scheme attribute before React starts, so a dark-mode user sees no white flash.
// The storage key must match COLOR_SCHEME_STORAGE_KEY in src/colorScheme.ts.
(function () {
  var scheme;
  try {
    scheme = window.localStorage.getItem('atrium-color-scheme');
  } catch (e) {
    scheme = null;
  }
  if (scheme !== 'light' && scheme !== 'dark') {
    scheme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
})();
