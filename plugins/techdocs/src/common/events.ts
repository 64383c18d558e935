import { defineEventTopic } from '@atrium/backend-plugin-api/eventTopics';

/** Payload of `techdocsBuildFinished`. */
export interface DocsBuildFinishedEvent {
  /** Canonical (lower-case) ref of the entity whose docs were built. */
  entityRef: string;
  /** `built`: a new site was published; `failed`: the build failed (an unchanged source publishes nothing). */
  status: 'built' | 'failed';
}

/** Payload of `techdocsSitePublished`. */
export interface DocsSitePublishedEvent {
  entityRef: string;
}

/**
 * Published after every build that changed or failed. Scorecards' `techdocsBuilt` fact follows it.
 */
export const techdocsBuildFinished = defineEventTopic<DocsBuildFinishedEvent>('techdocs.build.finished');

/** Published whenever a replica publishes or removes a site, so every replica drops its cached pages. */
export const techdocsSitePublished = defineEventTopic<DocsSitePublishedEvent>('techdocs.site.published');
