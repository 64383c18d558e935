import { canonicalRefKey, entityRoutePath, humanizeEntityRef } from '@atrium/ui';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { KindIcon } from '../components/KindIcon';
import type { CellValue } from './columns';
import classes from './EntityTable.module.css';

const LIFECYCLE_TONES: Record<string, string> = { production: 'teal', experimental: 'yellow', deprecated: 'red', development: 'blue' };
/** Tags shown in a cell; the rest are counted ("+2") and listed in the counter's tooltip. */
const MAX_TAGS = 2;

/** Titles of referenced entities by canonical ref (see useEntityTitles); refs not in it show as refs. */
export type RefTitles = ReadonlyMap<string, string | null>;

/** Whether a cell has nothing to show (a card leaves such fields out). */
export function isEmptyCell(value: CellValue): boolean {
  switch (value.type) {
    case 'text':
      return !value.text;
    case 'refs':
      return value.refs.length === 0;
    case 'tags':
      return value.tags.length === 0;
    case 'lifecycle':
      return !value.lifecycle;
    case 'kind':
      return false;
  }
}

/** The canonical refs a cell links to, for looking up their titles. */
export function cellRefKeys(value: CellValue): string[] {
  if (value.type !== 'refs') return [];
  const context = { defaultKind: value.defaultKind, defaultNamespace: value.defaultNamespace };
  return value.refs.map((ref) => canonicalRefKey(ref, context)).filter((key): key is string => key !== undefined);
}

/**
 * One explorer cell, in plain elements (see EntityRow). Content stays on one line, so every row
 * has the same height for virtualization. Entity refs are labelled like EntityRefLink labels
 * them: the entity's title when known, the ref otherwise.
 */
export function ColumnCell(props: { value: CellValue; titles?: RefTitles; layout?: 'row' | 'card' }) {
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
        <span className={props.layout === 'card' ? classes.cellText : classes.refs}>
          {value.refs.map((ref, index) => {
            const context = { defaultKind: value.defaultKind, defaultNamespace: value.defaultNamespace };
            const href = entityRoutePath(ref, context);
            const key = canonicalRefKey(ref, context);
            const label = (key && props.titles?.get(key)) || humanizeEntityRef(ref, context);
            return (
              <Fragment key={ref}>
                {index > 0 && ', '}
                {href ? (
                  <Link to={href} className={classes.link} title={key}>
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
      if (props.layout === 'card') {
        return (
          <span className={classes.cardTags}>
            {value.tags.map((tag) => (
              <span key={tag} className={classes.tag}>
                {tag}
              </span>
            ))}
          </span>
        );
      }
      const hidden = value.tags.length - MAX_TAGS;
      return (
        <span className={classes.tags}>
          {value.tags.slice(0, MAX_TAGS).map((tag) => (
            <span key={tag} className={classes.tag} title={tag}>
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
