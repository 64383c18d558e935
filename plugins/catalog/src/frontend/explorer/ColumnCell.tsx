import { entityRoutePath, humanizeEntityRef } from '@atrium/ui';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { KindIcon } from '../components/KindIcon';
import type { CellValue } from './columns';
import classes from './EntityTable.module.css';

const LIFECYCLE_TONES: Record<string, string> = { production: 'teal', experimental: 'yellow', deprecated: 'red', development: 'blue' };
const MAX_TAGS = 3;

/**
 * One explorer cell, in plain elements (see EntityRow). Content stays on one line, so every row
 * has the same height for virtualization.
 */
export function ColumnCell(props: { value: CellValue }) {
  const { value } = props;
  switch (value.type) {
    case 'text':
      return value.text ? (
        <span className={classes.cellText} title={value.text}>
          {value.text}
        </span>
      ) : (
        <Missing />
      );
    case 'refs':
      if (value.refs.length === 0) return <Missing />;
      return (
        <span className={classes.cellText}>
          {value.refs.map((ref, index) => {
            const context = { defaultKind: value.defaultKind, defaultNamespace: value.defaultNamespace };
            const href = entityRoutePath(ref, context);
            const label = humanizeEntityRef(ref, context);
            return (
              <Fragment key={ref}>
                {index > 0 && ', '}
                {href ? (
                  <Link to={href} className={classes.link}>
                    {label}
                  </Link>
                ) : (
                  label
                )}
              </Fragment>
            );
          })}
        </span>
      );
    case 'tags': {
      if (value.tags.length === 0) return <Missing />;
      const hidden = value.tags.length - MAX_TAGS;
      return (
        <span className={classes.tags}>
          {value.tags.slice(0, MAX_TAGS).map((tag) => (
            <span key={tag} className={classes.tag}>
              {tag}
            </span>
          ))}
          {hidden > 0 && (
            <span className={classes.more} title={value.tags.slice(MAX_TAGS).join(', ')}>
              +{hidden}
            </span>
          )}
        </span>
      );
    }
    case 'lifecycle':
      return value.lifecycle ? (
        <span className={classes.badge} data-tone={LIFECYCLE_TONES[value.lifecycle.toLowerCase()] ?? 'gray'}>
          {value.lifecycle}
        </span>
      ) : (
        <Missing />
      );
    case 'kind':
      return (
        <span className={classes.kind}>
          <KindIcon kind={value.kind} />
          <span className={classes.cellText}>{value.kind}</span>
        </span>
      );
  }
}

function Missing() {
  return (
    <span className={classes.missing} aria-label="none">
      –
    </span>
  );
}
