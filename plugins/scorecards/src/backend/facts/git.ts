import type { Entity } from '@atrium/catalog-model';
import { FileReader, GitReader, parseGitLocation as parseSharedGitLocation, type GitLocation } from '@atrium/source-readers';
import type { Logger } from '@atrium/backend-plugin-api';
import { refOf } from './builtins.js';
import { UNKNOWN, type FactProvider, type FactResult } from './types.js';

const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';

/**
 * `git:<repo>#<ref>:<path>` → the repository, ref and the folder of the descriptor, parsed with
 * the shared grammar (parseGitLocation: invalid or option-like refs and escaping paths refused);
 * undefined for other location types and for git locations that do not parse.
 */
export function parseGitLocation(location: string | undefined): { repo: string; ref: string; dir: string } | undefined {
  if (!location?.startsWith('git:')) return undefined;
  let parsed: GitLocation;
  try {
    parsed = parseSharedGitLocation(location.slice('git:'.length));
  } catch {
    return undefined;
  }
  const file = parsed.path;
  return { repo: parsed.repo, ref: parsed.ref, dir: file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '' };
}

const CI_PATTERNS = [
  /^\.github\/workflows\/[^/]+\.ya?ml$/,
  /^\.gitlab-ci\.ya?ml$/,
  /^Jenkinsfile$/,
  /^\.circleci\/config\.ya?ml$/,
  /^azure-pipelines\.ya?ml$/,
  /^\.buildkite\//,
  /^\.ci\//,
];

/** Facts about the repository an entity's descriptor lives in: files found at the commit the catalog read. */
export function repositoryFacts(files: string[], dir: string): Record<string, boolean> {
  const prefix = dir ? `${dir}/` : '';
  const readmeIn = (d: string) => files.some((f) => f.startsWith(d) && /^readme(\.[a-z]+)?$/i.test(f.slice(d.length)));
  return {
    hasReadme: readmeIn(prefix) || readmeIn(''),
    hasCodeowners: files.some((f) => /^(\.github\/|docs\/|\.gitlab\/)?CODEOWNERS$/.test(f)),
    hasCiConfig: files.some((f) => CI_PATTERNS.some((p) => p.test(f))),
  };
}

/**
 * Reads git repositories with the shared GitReader (the outbound guard, then the hardened git
 * runner: nothing in a repository can make git run a program); runs in scheduled sweeps only.
 * `cacheDir` comes from the plugin, under the host's data directory.
 */
export function gitFactProvider(options: { cacheDir: string; fileRoots: string[]; logger: Logger; allowPrivateNetworks: boolean }): FactProvider {
  return {
    id: 'git',
    facts: ['hasReadme', 'hasCodeowners', 'hasCiConfig'],
    sweepOnly: true,
    async compute(entities: Entity[], ctx) {
      const reader = new GitReader({
        cacheDir: options.cacheDir,
        timeoutMs: 60_000,
        maxBytes: 5 * 1024 * 1024,
        allowPrivateNetworks: options.allowPrivateNetworks,
        privateNetworksKey: 'scorecards.git.allowPrivateNetworks',
        files: new FileReader(options.fileRoots, 5 * 1024 * 1024),
        fetchTtlMs: 10 * 60_000,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const out = new Map<string, Record<string, FactResult>>();
      const listings = new Map<string, Promise<string[] | undefined>>();
      for (const e of entities) {
        const loc = parseGitLocation(e.metadata.annotations?.[LOCATION_ANNOTATION]);
        if (!loc) {
          out.set(refOf(e), { hasReadme: UNKNOWN, hasCodeowners: UNKNOWN, hasCiConfig: UNKNOWN });
          continue;
        }
        const key = `${loc.repo}#${loc.ref}`;
        let listing = listings.get(key);
        if (!listing) {
          listing = reader.open(loc.repo, loc.ref).then(
            (tree) => tree.list(),
            (err: unknown) => {
              options.logger.warn({ err, repo: loc.repo }, 'scorecards: cannot read repository for git facts');
              return undefined;
            },
          );
          listings.set(key, listing);
        }
        const files = await listing;
        out.set(refOf(e), files ? repositoryFacts(files, loc.dir) : { hasReadme: UNKNOWN, hasCodeowners: UNKNOWN, hasCiConfig: UNKNOWN });
      }
      return out;
    },
  };
}
