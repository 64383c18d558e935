/**
 * Well-known annotations. Keys under `backstage.io/` keep Backstage's names, so
 * descriptors written for Backstage mean the same thing here.
 */

/** Location ref (`type:target`) of the descriptor the entity was read from. Set by the catalog. */
export const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';
/** Location ref of the registered location that led to the entity (differs when a Location delegates). */
export const ANNOTATION_ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location';
/** Location ref of the entity's source code; a folder URL ends in `/`. */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';
/** Link to view the descriptor in its source host. */
export const ANNOTATION_VIEW_URL = 'backstage.io/view-url';
/** Link to edit the descriptor in its source host. */
export const ANNOTATION_EDIT_URL = 'backstage.io/edit-url';
/** `"true"` when no location yields the entity any more. Set at stitching. */
export const ANNOTATION_ORPHAN = 'backstage.io/orphan';
/** Where the docs are: `dir:<path relative to the descriptor>` or `url:<absolute URL>`. */
export const ANNOTATION_TECHDOCS_REF = 'backstage.io/techdocs-ref';
/** Ref of another entity whose docs this entity shows. */
export const ANNOTATION_TECHDOCS_ENTITY = 'backstage.io/techdocs-entity';
/** Sub-path inside the docs of the entity named by techdocs-entity. */
export const ANNOTATION_TECHDOCS_ENTITY_PATH = 'backstage.io/techdocs-entity-path';
/** Ref of the template that created the entity. */
export const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';
/** On templates: ISO-8601 duration a run saves, e.g. `PT4H`. */
export const ANNOTATION_TIME_SAVED = 'backstage.io/time-saved';
/** `enabled` or `scm-only`. */
export const ANNOTATION_CODE_COVERAGE = 'backstage.io/code-coverage';

/** `owner/repo` on GitHub. */
export const ANNOTATION_GITHUB_PROJECT_SLUG = 'github.com/project-slug';
/** `org/team` on GitHub, for groups. */
export const ANNOTATION_GITHUB_TEAM_SLUG = 'github.com/team-slug';
/** GitHub login, for users. */
export const ANNOTATION_GITHUB_USER_LOGIN = 'github.com/user-login';

export const ANNOTATION_LDAP_RDN = 'backstage.io/ldap-rdn';
export const ANNOTATION_LDAP_UUID = 'backstage.io/ldap-uuid';
export const ANNOTATION_LDAP_DN = 'backstage.io/ldap-dn';

export const ANNOTATION_KUBERNETES_API_SERVER = 'kubernetes.io/api-server';
export const ANNOTATION_KUBERNETES_API_SERVER_CA = 'kubernetes.io/api-server-certificate-authority';
export const ANNOTATION_KUBERNETES_AUTH_PROVIDER = 'kubernetes.io/auth-provider';

/** The value that replaces `javascript:` view/edit URLs when the catalog stores an entity. */
export const REJECTED_ANNOTATION_URL = 'https://backstage.io/annotation-rejected-for-security-reasons';
