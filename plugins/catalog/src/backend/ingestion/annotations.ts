import { ANNOTATION_EDIT_URL, ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, ANNOTATION_SOURCE_LOCATION, ANNOTATION_VIEW_URL } from '@atrium/catalog-model';
import { locationRefOf, specOfPlace, type Place } from './locations.js';

const COMMIT = /^[0-9a-f]{40}$/;

export interface LocationAnnotations {
  /** Always written: the catalog, not the descriptor, knows where an entity came from. */
  forced: Record<string, string>;
  /** Written unless the descriptor sets them itself. */
  defaults: Record<string, string>;
}

/**
 * The annotations recording where an entity was read from. managed-by-location and
 * managed-by-origin-location are Backstage location refs (`file:/abs/catalog-info.yaml`,
 * `url:https://…`, `git:<repo>#<ref>:<path>`). For URLs, and for git repositories on
 * GitHub/GitLab over https, view-url, edit-url (not for commit-pinned URLs) and
 * source-location (`url:<folder>/`) are derived as Backstage does for url locations.
 */
export function locationAnnotations(place: Place, originLocationRef: string): LocationAnnotations {
  const forced = {
    [ANNOTATION_LOCATION]: locationRefOf(specOfPlace(place)),
    [ANNOTATION_ORIGIN_LOCATION]: originLocationRef,
  };
  const defaults: Record<string, string> = {};
  const viewUrl = place.type === 'url' ? place.url : place.type === 'git' ? hostedBlobUrl(place) : undefined;
  if (viewUrl) {
    defaults[ANNOTATION_VIEW_URL] = viewUrl;
    const edit = editUrlOf(viewUrl);
    if (edit) defaults[ANNOTATION_EDIT_URL] = edit;
    defaults[ANNOTATION_SOURCE_LOCATION] = `url:${sourceFolderOf(viewUrl)}`;
  }
  return { forced, defaults };
}

/** The folder holding a file URL, as a tree URL on GitHub/GitLab, ending in `/`. */
function sourceFolderOf(fileUrl: string): string {
  const folder = new URL('./', fileUrl).href;
  return folder.replace(/^(https:\/\/[^/]*github[^/]*\/[^/]+\/[^/]+)\/blob\//, '$1/tree/').replace(/\/-\/blob\//, '/-/tree/');
}

/** GitHub `…/blob/<ref>/…` → `…/edit/<ref>/…`; GitLab `…/-/blob/<ref>/…` → `…/-/edit/<ref>/…`. */
export function editUrlOf(viewUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(viewUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const parts = url.pathname.split('/');
  if (/github/.test(url.hostname) && parts[3] === 'blob' && parts[4] && !COMMIT.test(parts[4])) {
    parts[3] = 'edit';
    return `${url.origin}${parts.join('/')}`;
  }
  if (url.hostname === 'raw.githubusercontent.com' && parts.length > 4 && parts[3] && !COMMIT.test(parts[3])) {
    return `https://github.com/${parts[1]}/${parts[2]}/edit/${parts.slice(3).join('/')}`;
  }
  const dash = parts.indexOf('-');
  if (/gitlab/.test(url.hostname) && dash > 0 && parts[dash + 1] === 'blob' && parts[dash + 2] && !COMMIT.test(parts[dash + 2]!)) {
    parts[dash + 1] = 'edit';
    return `${url.origin}${parts.join('/')}`;
  }
  return undefined;
}

/** A browsable URL for a file in a git repository hosted on GitHub or GitLab over https. */
function hostedBlobUrl(place: Extract<Place, { type: 'git' }>): string | undefined {
  let url: URL;
  try {
    url = new URL(place.repo);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return undefined;
  const repoPath = url.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const filePath = place.path.split('/').map(encodeURIComponent).join('/');
  if (/github/.test(url.hostname) && repoPath.split('/').length === 3) return `${url.origin}${repoPath}/blob/${place.ref}/${filePath}`;
  if (/gitlab/.test(url.hostname)) return `${url.origin}${repoPath}/-/blob/${place.ref}/${filePath}`;
  return undefined;
}
