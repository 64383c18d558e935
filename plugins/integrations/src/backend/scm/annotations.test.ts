import { describe, expect, it } from 'vitest';
import { InvalidScmAnnotationError, scmProjectOf } from './annotations.js';
import { githubRunState } from './githubScm.js';
import { gitlabPipelineState } from './gitlabScm.js';

const entity = (annotations: Record<string, string>) => ({ metadata: { annotations } });

describe('scmProjectOf', () => {
  it('reads a GitHub slug; the host is the source location’s when it is a URL, else github.com', () => {
    expect(scmProjectOf(entity({ 'github.com/project-slug': 'acme/orders' }))).toEqual({
      provider: 'github',
      host: 'github.com',
      project: 'acme/orders',
      annotation: 'github.com/project-slug',
    });
    expect(
      scmProjectOf(entity({ 'github.com/project-slug': 'acme/orders', 'backstage.io/source-location': 'url:https://GHE.example.com/acme/orders/tree/main/' })),
    ).toMatchObject({ host: 'ghe.example.com' });
    expect(
      scmProjectOf(entity({ 'github.com/project-slug': 'acme/orders', 'backstage.io/managed-by-location': 'file:/srv/catalog/orders.yaml' })),
    ).toMatchObject({ host: 'github.com' });
  });

  it('reads a GitLab path with subgroups; the host is gitlab.com/instance, else the location’s, else gitlab.com', () => {
    expect(scmProjectOf(entity({ 'gitlab.com/project-slug': 'acme/platform/payments' }))).toMatchObject({
      provider: 'gitlab',
      host: 'gitlab.com',
      project: 'acme/platform/payments',
    });
    expect(scmProjectOf(entity({ 'gitlab.com/project-slug': 'acme/payments', 'gitlab.com/instance': 'gitlab.example.com' }))).toMatchObject({
      host: 'gitlab.example.com',
    });
    expect(
      scmProjectOf(
        entity({
          'gitlab.com/project-slug': 'acme/payments',
          'backstage.io/managed-by-location': 'url:https://git.example.org/acme/payments/-/raw/main/catalog-info.yaml',
        }),
      ),
    ).toMatchObject({ host: 'git.example.org' });
  });

  it('is undefined for an entity naming no repository', () => {
    expect(scmProjectOf({ metadata: {} })).toBeUndefined();
    expect(scmProjectOf(entity({ 'backstage.io/source-location': 'url:https://github.com/acme/x' }))).toBeUndefined();
  });

  it.each([
    ['github.com/project-slug', 'acme'],
    ['github.com/project-slug', '../etc/passwd'],
    ['github.com/project-slug', 'acme/..'],
    ['github.com/project-slug', 'acme/--upload-pack'],
    ['github.com/project-slug', 'acme/orders/extra'],
    ['github.com/project-slug', 'https://github.com/acme/orders'],
    ['gitlab.com/project-slug', 'payments'],
    ['gitlab.com/project-slug', 'acme/../secret'],
    ['gitlab.com/project-slug', 'acme/-rf'],
    ['gitlab.com/project-slug', 'acme/payments.git'],
  ])('refuses %s: %s, naming the annotation and the expected form', (key, value) => {
    expect(() => scmProjectOf(entity({ [key]: value }))).toThrow(InvalidScmAnnotationError);
    expect(() => scmProjectOf(entity({ [key]: value }))).toThrow(
      new RegExp(`${key.replace(/\./g, '\\.')} is ".*", which is not a Git(Hub repository|Lab project)`),
    );
  });

  it('refuses a gitlab.com/instance that is not a host name', () => {
    expect(() => scmProjectOf(entity({ 'gitlab.com/project-slug': 'acme/x', 'gitlab.com/instance': 'https://gitlab.example.com/' }))).toThrow(
      /gitlab\.com\/instance is "https:\/\/gitlab\.example\.com\/", which is not a host name/,
    );
  });
});

describe('run states', () => {
  it('maps GitHub statuses and conclusions, and GitLab pipeline statuses, to the same words', () => {
    expect(githubRunState('completed', 'success')).toBe('success');
    expect(githubRunState('completed', 'timed_out')).toBe('failure');
    expect(githubRunState('completed', 'cancelled')).toBe('cancelled');
    expect(githubRunState('in_progress', null)).toBe('running');
    expect(githubRunState('waiting', null)).toBe('queued');
    expect(gitlabPipelineState('failed')).toBe('failure');
    expect(gitlabPipelineState('canceled')).toBe('cancelled');
    expect(gitlabPipelineState('pending')).toBe('queued');
    expect(gitlabPipelineState('manual')).toBe('other');
  });
});
