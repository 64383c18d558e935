import classes from './SkipLink.module.css';

/** The first tab stop: lets keyboard users jump past the header and sidebar. */
export function SkipLink(props: { targetId: string }) {
  return (
    <a className={classes.skipLink} href={`#${props.targetId}`}>
      Skip to content
    </a>
  );
}
