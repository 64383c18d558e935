/** Atrium's mark: a house of columns. Decorative; the name next to it carries the meaning. */
export function Logo(props: { size?: number }) {
  const size = props.size ?? 28;
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-filled)" />
      <path d="M6 25V14L16 7l10 7v11" fill="none" stroke="#fff" strokeWidth="2.4" strokeLinejoin="round" />
      <path d="M11 25v-7M16 25v-7M21 25v-7" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
    </svg>
  );
}
