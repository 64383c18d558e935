import { createAjv } from '@atrium/backend-plugin-api';

export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';
export const GITLAB_SLUG_ANNOTATION = 'gitlab.com/project-slug';
/** The GitLab host of the project (as the GitLab plugins for Backstage read it); default: the entity's location host, else gitlab.com. */
export const GITLAB_INSTANCE_ANNOTATION = 'gitlab.com/instance';
const SOURCE_LOCATION = 'backstage.io/source-location';
const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/** Where an entity's repository is: the provider, its host and the project's path there. */
export interface ScmProject {
  provider: 'github' | 'gitlab';
  host: string;
  /** `owner/repo` (GitHub) or `group/subgroup/project` (GitLab). */
  project: string;
  /** The annotation it came from, for messages. */
  annotation: string;
}

/** The annotation is there but unusable: the message names it, its value and the expected form. */
export class InvalidScmAnnotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidScmAnnotationError';
  }
}

// GitHub: an owner (user or org login) and a repository name; `.`/`..` and names starting with `-` refused.
const githubSlug = {
  type: 'string',
  maxLength: 140,
  pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\\.\\.?$)(?!-)[A-Za-z0-9._-]{1,100}$',
};
// GitLab: a group path (with subgroups) and a project path; segments do not start with `-` or `.`, nor end in `.git`/`.atom`.
const gitlabSlug = {
  type: 'string',
  maxLength: 1000,
  pattern: '^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}/){1,20}[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$',
  not: { pattern: '(?:\\.git|\\.atom)(?:/|$)|\\.\\.' },
};
const hostname = { type: 'string', maxLength: 253, pattern: '^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$' };

const ajv = createAjv();
const validGitHubSlug: (value: unknown) => boolean = ajv.compile(githubSlug);
const validGitLabSlug: (value: unknown) => boolean = ajv.compile(gitlabSlug);
const validHost: (value: unknown) => boolean = ajv.compile(hostname);

/** The host of a `url:` location annotation (`url:https://ghe.example.com/acme/x/blob/main/catalog-info.yaml`), if any. */
function locationHost(annotations: Record<string, string>): string | undefined {
  for (const key of [SOURCE_LOCATION, MANAGED_BY_LOCATION]) {
    const value = annotations[key];
    if (!value) continue;
    const m = /^url:(https?:\/\/.+)$/.exec(value.trim());
    if (!m) continue;
    try {
      return new URL(m[1]!).host.toLowerCase();
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * The repository an entity names, or undefined when it carries neither annotation. The GitHub
 * host is the one of the entity's source (or managed-by) location when that is a URL, else
 * github.com; the GitLab host is `gitlab.com/instance`, else the location's, else gitlab.com.
 * Throws {@link InvalidScmAnnotationError} for a value that is not a project path.
 */
export function scmProjectOf(entity: { metadata: { annotations?: Record<string, string> } }): ScmProject | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const github = annotations[GITHUB_SLUG_ANNOTATION];
  const gitlab = annotations[GITLAB_SLUG_ANNOTATION];
  if (github !== undefined) {
    const slug = github.trim();
    if (!validGitHubSlug(slug)) {
      throw new InvalidScmAnnotationError(
        `The annotation ${GITHUB_SLUG_ANNOTATION} is "${github.slice(0, 200)}", which is not a GitHub repository: expected <owner>/<repository>, e.g. acme/payments`,
      );
    }
    return { provider: 'github', host: locationHost(annotations) ?? 'github.com', project: slug, annotation: GITHUB_SLUG_ANNOTATION };
  }
  if (gitlab !== undefined) {
    const slug = gitlab.trim();
    if (!validGitLabSlug(slug)) {
      throw new InvalidScmAnnotationError(
        `The annotation ${GITLAB_SLUG_ANNOTATION} is "${gitlab.slice(0, 200)}", which is not a GitLab project: expected <group>/<project> (subgroups allowed), e.g. acme/platform/payments`,
      );
    }
    const instance = annotations[GITLAB_INSTANCE_ANNOTATION]?.trim();
    if (instance !== undefined && !validHost(instance)) {
      throw new InvalidScmAnnotationError(
        `The annotation ${GITLAB_INSTANCE_ANNOTATION} is "${instance.slice(0, 200)}", which is not a host name: expected e.g. gitlab.example.com`,
      );
    }
    return {
      provider: 'gitlab',
      host: (instance ?? locationHost(annotations) ?? 'gitlab.com').toLowerCase(),
      project: slug,
      annotation: GITLAB_SLUG_ANNOTATION,
    };
  }
  return undefined;
}
