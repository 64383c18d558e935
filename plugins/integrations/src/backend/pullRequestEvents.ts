import type { EventsService } from '@atrium/backend-plugin-api';
import { integrationsPullRequestClosed, type PullRequestClosedEvent } from '../common/index.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
};

/** A GitHub `pull_request` delivery with action `closed` (merged or not); undefined for any other. */
export function githubPullRequestClosed(body: Json, deliveryId?: string): PullRequestClosedEvent | undefined {
  if (body['action'] !== 'closed') return undefined;
  const pr = obj(body['pull_request']);
  const htmlUrl = str(pr?.['html_url']);
  const repository = str(obj(body['repository'])?.['full_name']);
  const number = Number(pr?.['number'] ?? body['number']);
  const host = htmlUrl && hostOf(htmlUrl);
  if (!pr || !htmlUrl || !host || !repository || !Number.isInteger(number)) return undefined;
  const merged = pr['merged'] === true;
  const sha = merged ? str(pr['merge_commit_sha']) : undefined;
  const apiUrl = str(pr['url']);
  return {
    provider: 'github',
    host,
    repository,
    number,
    merged,
    urls: apiUrl ? [htmlUrl, apiUrl] : [htmlUrl],
    ...(sha ? { mergeCommitSha: sha } : {}),
    ...(deliveryId ? { deliveryId } : {}),
  };
}

/** A GitLab `merge_request` hook whose action is `merge` or `close`; undefined for any other. */
export function gitlabMergeRequestClosed(body: Json, deliveryId?: string): PullRequestClosedEvent | undefined {
  if (body['object_kind'] !== 'merge_request') return undefined;
  const mr = obj(body['object_attributes']);
  const action = mr?.['action'];
  if (action !== 'merge' && action !== 'close') return undefined;
  const url = str(mr?.['url']);
  const repository = str(obj(body['project'])?.['path_with_namespace']);
  const number = Number(mr?.['iid']);
  const host = url && hostOf(url);
  if (!url || !host || !repository || !Number.isInteger(number)) return undefined;
  const merged = action === 'merge';
  const sha = merged ? str(mr?.['merge_commit_sha']) : undefined;
  return {
    provider: 'gitlab',
    host,
    repository,
    number,
    merged,
    urls: [url],
    ...(sha ? { mergeCommitSha: sha } : {}),
    ...(deliveryId ? { deliveryId } : {}),
  };
}

/** Publishes a closed pull/merge request for the scaffolder's waiting steps (every replica receives it). */
export async function publishPullRequestClosed(events: EventsService, event: PullRequestClosedEvent): Promise<void> {
  await events.publish(integrationsPullRequestClosed, event);
}
