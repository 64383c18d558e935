import path from 'node:path';

/**
 * Where the scaffolder keeps files, all under the host's data directory (`backend.dataDir`),
 * never under the OS temp folder or the working directory.
 */
export interface ScaffolderPaths {
  /** Task and dry-run workspaces and step scratch folders (each removed when done). */
  work: string;
  /** Bare clones of git repositories templates read skeletons from: the replica's shared git cache (the sources service's `gitCacheDir`). */
  gitCache: string;
  /**
   * The shared `<dataDir>/repos` folder: the default root publish:git may create local bare
   * repositories in, and one the catalog reads by default, so a new component can be registered.
   */
  repos: string;
}

export function scaffolderPaths(dataDir: string): ScaffolderPaths {
  return {
    work: path.join(dataDir, 'scaffolder', 'work'),
    gitCache: path.join(dataDir, 'git-cache'),
    repos: path.join(dataDir, 'repos'),
  };
}
