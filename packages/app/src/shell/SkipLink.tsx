import type { MouseEvent } from 'react';
import classes from './SkipLink.module.css';

/** The first tab stop: lets keyboard users jump past the header and sidebar. */
export function SkipLink(props: { targetId: string }) {
  // Focus the target directly rather than following the hash, which would leave "#…" in the URL.
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    const target = document.getElementById(props.targetId);
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  return (
    <a className={classes.skipLink} href={`#${props.targetId}`} onClick={skip}>
      Skip to content
    </a>
  );
}
