import { execFile, type ExecFileOptionsWithBufferEncoding } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isWithin } from './paths.js';

export { validateGitRef, InvalidGitRefError } from './gitRef.js';

/**
 * Options of {@link runGit}. Every path must be absolute or is resolved against the process's
 * working directory.
 */
export interface RunGitOptions {
  /** Working directory of the git process. Defaults to a private empty directory. */
  cwd?: string;
  /**
   * The repository (`--git-dir`). Required for every command that works on an existing
   * repository: without it git could only discover one from `cwd`, which the runner forbids
   * (see {@link runGit}). It must be a directory the caller created, never inside `workTree`.
   */
  gitDir?: string;
  /** The work tree (`--work-tree`); requires `gitDir`, which must lie outside it. */
  workTree?: string;
  /**
   * Extra environment: only `GIT_AUTHOR_*`, `GIT_COMMITTER_*` (NAME, EMAIL, DATE) and
   * `GIT_INDEX_FILE`. Anything else throws: the environment is how git is told to run programs.
   */
  env?: Record<string, string>;
  /**
   * Extra `-c key=value` settings, from an allow-list of keys that never name a program
   * (user identity, `init.defaultBranch`, `http.extraHeader`, `http.followRedirects`,
   * `http.curloptResolve`, `commit.gpgSign`, `tag.gpgSign`, `core.autocrlf`, `core.quotePath`,
   * `gc.auto`, `maintenance.auto`, `fetch.fsckObjects`, `transfer.fsckObjects`).
   */
  config?: Record<string, string | string[]>;
  /** Kill git (and the programs it started) after this long. Default 120 000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Written to git's standard input. */
  input?: string | Buffer;
  /** Allow the `file` transport (local paths and `file://` URLs as remotes). Default false. */
  allowFileProtocol?: boolean;
  /**
   * Allow the `ssh` transport (`ssh://`, `user@host:path`). Default false: `core.sshCommand`
   * is then a command that always fails. When true, `sshCommand` (default
   * `ssh -o BatchMode=yes`, or the operator's `GIT_SSH_COMMAND`) is used.
   */
  allowSsh?: boolean;
  /** The ssh command when `allowSsh` (a trusted, fixed string: it runs through a shell). */
  sshCommand?: string;
  /** Largest standard output accepted before git is killed. Default 64 MiB. */
  maxBytes?: number;
}

export interface RunGitResult {
  stdout: string;
  stderr: string;
}

export type GitCommandFailure = 'failed' | 'timeout' | 'cancelled' | 'too-large' | 'not-installed';

/**
 * git did not succeed. `message` is `git <command>: <git's own reason>` (every `fatal:`/`error:`
 * line, e.g. "detected dubious ownership in repository at '/x'"), `stderr` the full text.
 */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly failure: GitCommandFailure,
    readonly command: string,
    readonly stderr: string,
    readonly exitCode: number | null,
    /** git's reason alone, without the `git <command>:` prefix. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/**
 * Whether a relative path (either separator) names git metadata: any component that is `.git`,
 * compared the way case-insensitive or 8.3-name file systems would (`.GIT`, `.git.`, `git~1`).
 * Copying skeletons or fetched trees must skip these entries: a `.git` folder carries
 * configuration (filters, fsmonitor, hooks, `include.path`) that git would run.
 */
export function isGitMetadataPath(relativePath: string): boolean {
  return relativePath.split(/[\\/]+/).some((part) => {
    const p = part.toLowerCase().replace(/[. ]+$/, '');
    return p === '.git' || p === 'git~1';
  });
}

/**
 * Copies a directory tree leaving out every git metadata entry ({@link isGitMetadataPath}).
 * Only directories and regular files are copied (modes kept); a symlink or other special file
 * throws unless `symlinks: 'skip'`. `dest` is created; existing files in it are overwritten.
 * Returns the copied files, relative and `/`-separated.
 */
export async function copyTreeWithoutGit(src: string, dest: string, options: { symlinks?: 'error' | 'skip' } = {}): Promise<string[]> {
  const copied: string[] = [];
  const walk = async (from: string, to: string, rel: string): Promise<void> => {
    await fs.mkdir(to, { recursive: true });
    for (const entry of await fs.readdir(from, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (isGitMetadataPath(entry.name)) continue;
      const a = path.join(from, entry.name);
      const b = path.join(to, entry.name);
      if (entry.isDirectory()) await walk(a, b, childRel);
      else if (entry.isFile()) {
        await fs.copyFile(a, b);
        await fs.chmod(b, (await fs.stat(a)).mode & 0o777);
        copied.push(childRel);
      } else if (options.symlinks !== 'skip') {
        throw new Error(`Refusing to copy ${childRel}: it is ${entry.isSymbolicLink() ? 'a symlink' : 'not a regular file or folder'}`);
      }
    }
  };
  await walk(path.resolve(src), path.resolve(dest), '');
  return copied.sort();
}

// ---------------------------------------------------------------------------------------------

const ALLOWED_ENV = /^(GIT_(AUTHOR|COMMITTER)_(NAME|EMAIL|DATE)|GIT_INDEX_FILE)$/;
const ALLOWED_CONFIG = new Set(
  [
    'user.name',
    'user.email',
    'init.defaultBranch',
    'http.extraHeader',
    'http.followRedirects',
    'http.curloptResolve',
    'http.lowSpeedLimit',
    'http.lowSpeedTime',
    'commit.gpgSign',
    'tag.gpgSign',
    'core.autocrlf',
    'core.quotePath',
    'gc.auto',
    'maintenance.auto',
    'fetch.fsckObjects',
    'transfer.fsckObjects',
  ].map((k) => k.toLowerCase()),
);
// Passed through from the server's own environment (operator-controlled, needed to reach hosts).
const INHERITED_ENV = [
  'PATH',
  'TMPDIR',
  'TZ',
  'SYSTEMROOT',
  'http_proxy',
  'https_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'no_proxy',
  'NO_PROXY',
  'all_proxy',
  'ALL_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];
const REFUSING_SSH = 'sh -c \'echo "ssh is not allowed for this git command" >&2; exit 128\' --';

interface Sandbox {
  home: string;
  hooks: string;
  globalConfig: string;
  empty: string;
}

let sandbox: Promise<Sandbox> | undefined;

/** A private (0700) directory with an empty global config, an empty hooks dir and an empty cwd. */
async function gitSandbox(): Promise<Sandbox> {
  const current = sandbox;
  if (current) {
    const box = await current.catch(() => undefined);
    // Recreate it if a temp cleaner removed it.
    if (
      box &&
      (await fs.stat(box.hooks).then(
        () => true,
        () => false,
      ))
    )
      return box;
    if (sandbox !== current) return gitSandbox();
  }
  const created = (async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-git-'));
    await fs.chmod(home, 0o700);
    const box: Sandbox = { home, hooks: path.join(home, 'hooks'), globalConfig: path.join(home, 'gitconfig'), empty: path.join(home, 'cwd') };
    await fs.mkdir(box.hooks, { mode: 0o700 });
    await fs.mkdir(box.empty, { mode: 0o700 });
    await fs.mkdir(path.join(home, 'xdg'), { mode: 0o700 });
    await fs.writeFile(box.globalConfig, '', { mode: 0o600 });
    return box;
  })();
  sandbox = created;
  return created;
}

/** The `-c` settings every git command runs with (see {@link runGit}). */
function baseConfig(box: Sandbox, options: RunGitOptions): string[] {
  const ssh = options.allowSsh ? (options.sshCommand ?? process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes') : REFUSING_SSH;
  return [
    'core.fsmonitor=false',
    `core.hooksPath=${box.hooks}`,
    `core.sshCommand=${ssh}`,
    'core.askPass=',
    'credential.helper=',
    'core.pager=cat',
    'core.editor=false',
    'safe.bareRepository=explicit',
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
    'protocol.allow=never',
    'protocol.https.allow=always',
    'protocol.http.allow=always',
    'protocol.git.allow=always',
    `protocol.ssh.allow=${options.allowSsh ? 'always' : 'never'}`,
    `protocol.file.allow=${options.allowFileProtocol ? 'always' : 'never'}`,
    'protocol.ext.allow=never',
    'protocol.fd.allow=never',
    'uploadpack.allowAnySHA1InWant=false',
    'gc.auto=0',
    'maintenance.auto=false',
  ];
}

function userConfig(config: Record<string, string | string[]> | undefined): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!ALLOWED_CONFIG.has(key.toLowerCase())) throw new Error(`runGit: the config key ${key} is not allowed (it is not in the runner's allow-list)`);
    for (const v of Array.isArray(value) ? value : [value]) {
      if (/[\0\n\r]/.test(v)) throw new Error(`runGit: the value of ${key} contains a control character`);
      out.push(`${key}=${v}`);
    }
  }
  return out;
}

function environment(box: Sandbox, options: RunGitOptions, ceiling: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of INHERITED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key];
  if (options.allowSsh && process.env.SSH_AUTH_SOCK) env.SSH_AUTH_SOCK = process.env.SSH_AUTH_SOCK;
  Object.assign(env, {
    HOME: box.home,
    XDG_CONFIG_HOME: path.join(box.home, 'xdg'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: box.globalConfig,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CEILING_DIRECTORIES: ceiling,
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
    LANG: 'C',
  });
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (!ALLOWED_ENV.test(key)) throw new Error(`runGit: the environment variable ${key} is not allowed`);
    env[key] = value;
  }
  return env;
}

/** git's own reason: every `fatal:`/`error:` line (prefix removed), else the first lines of stderr. */
export function gitFailureReason(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const flagged = lines.filter((l) => /^(fatal|error):/.test(l)).map((l) => l.replace(/^(fatal|error):\s*/, ''));
  const chosen = flagged.length ? flagged : lines.filter((l) => !/^(hint|warning):/.test(l)).slice(0, 3);
  return chosen.join('; ').slice(0, 2000);
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Real path of `p`, or of its deepest existing ancestor joined with the rest. */
async function realish(p: string): Promise<string> {
  const abs = path.resolve(p);
  try {
    return await fs.realpath(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(await realish(parent), path.basename(abs));
  }
}

/** Like {@link runGit}, with standard output as bytes (for `cat-file blob`). */
export async function runGitBuffer(args: string[], options: RunGitOptions = {}): Promise<{ stdout: Buffer; stderr: string }> {
  if (!Array.isArray(args) || args.length === 0 || typeof args[0] !== 'string' || args[0].startsWith('-')) {
    throw new Error('runGit: the first argument must be the git command; global options go in the options object');
  }
  if (args.some((a) => typeof a !== 'string' || a.includes('\0'))) throw new Error('runGit: arguments must be strings without NUL');
  const box = await gitSandbox();
  const cwd = path.resolve(options.cwd ?? box.empty);
  if (
    !(await fs.stat(cwd).then(
      (st) => st.isDirectory(),
      () => false,
    ))
  )
    throw new Error(`runGit: the working directory ${cwd} does not exist`);
  const global: string[] = [];
  if (options.workTree !== undefined && options.gitDir === undefined) {
    throw new Error('runGit: a workTree needs a gitDir created outside it');
  }
  if (options.gitDir !== undefined) {
    const gitDir = await realish(options.gitDir);
    if (options.workTree !== undefined) {
      const workTree = await realish(options.workTree);
      if (isWithin(workTree, gitDir)) throw new Error(`runGit: the git dir ${gitDir} must not be inside the work tree ${workTree}`);
      global.push(`--work-tree=${workTree}`);
    }
    global.unshift(`--git-dir=${gitDir}`);
  } else if (await exists(path.join(cwd, '.git'))) {
    // Without an explicit git dir git would use this one, with whatever config it holds.
    throw new Error(`runGit: ${cwd} contains a .git entry; pass a gitDir created outside it`);
  }
  // Discovery may look at cwd itself (refused above if it has .git, and an implicit bare repo
  // is refused by safe.bareRepository=explicit) but never above it.
  const ceiling = path.dirname(cwd);
  const config = [...baseConfig(box, options), ...userConfig(options.config)];
  const argv = [...config.flatMap((c) => ['-c', c]), ...global, '--no-pager', ...args];
  const env = environment(box, options, ceiling);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const command = args[0];

  return new Promise((resolve, reject) => {
    let finished = false;
    let killedFor: GitCommandFailure | undefined;
    // execFile hands `detached` on to spawn (its own group, so a timeout kills git's helpers too).
    const execOptions: ExecFileOptionsWithBufferEncoding & { detached: boolean } = {
      cwd,
      env,
      encoding: 'buffer',
      maxBuffer: maxBytes,
      windowsHide: true,
      detached: process.platform !== 'win32',
    };
    const child = execFile('git', argv, execOptions, (error, stdout, stderrBuf) => {
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stderr = stderrBuf.toString('utf8');
      if (!error) return resolve({ stdout, stderr });
      const code = (error as NodeJS.ErrnoException).code;
      const fail = (failure: GitCommandFailure, reason: string, exitCode: number | null = null) =>
        reject(new GitCommandError(`git ${command}: ${reason}`, failure, command, stderr, exitCode, reason));
      if (code === 'ENOENT') return fail('not-installed', 'the git command is not installed');
      if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
        killGroup();
        return fail('too-large', `its output is larger than the ${maxBytes} bytes limit`);
      }
      if (killedFor === 'timeout') return fail('timeout', `timed out after ${timeoutMs} ms`);
      if (killedFor === 'cancelled') return fail('cancelled', 'cancelled');
      const exitCode = typeof error.code === 'number' ? error.code : null;
      fail('failed', gitFailureReason(stderr) || `exited with code ${exitCode ?? error.signal ?? 'unknown'}`, exitCode);
    });
    // git may have started helpers (remote-https, ssh, upload-pack): kill the whole group.
    const killGroup = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      if (finished) return;
      killedFor = 'timeout';
      killGroup();
    }, timeoutMs);
    const onAbort = () => {
      if (finished) return;
      killedFor = 'cancelled';
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/**
 * Runs the git CLI for content nobody trusts (repositories, skeletons, fetched trees): `execFile`,
 * never a shell, and nothing from the repository, the work tree, the server's user or the
 * system can make git run a program.
 *
 * Contract:
 * - `args[0]` is the git command; global options come only from `options` (`--git-dir`,
 *   `--work-tree` are set from `gitDir`/`workTree`). User input in `args` must follow `--` or be
 *   validated first ({@link validateGitRef}).
 * - Configuration: no system config (`GIT_CONFIG_NOSYSTEM=1`), an empty global config
 *   (`GIT_CONFIG_GLOBAL`), `HOME` and `XDG_CONFIG_HOME` in a private empty directory, so no
 *   credential helper, `include.path`, alias, filter/diff/merge driver, `core.*` program or
 *   attributes file of the server's user applies. The repository's own config is the one in
 *   `gitDir`, which the caller creates (never a `.git` from a work tree, skeleton or fetched tree:
 *   a `gitDir` inside `workTree` is refused, and without `gitDir` a `cwd` holding `.git` is
 *   refused and discovery never goes above `cwd`).
 * - Command-line settings (which win over any repository config): `core.fsmonitor=false`,
 *   `core.hooksPath` an empty directory, `core.sshCommand` a refusing command unless
 *   `allowSsh`, `protocol.allow=never` with only https/http/git allowed (`ssh` and `file` on
 *   request; `ext` and `fd` never), `submodule.recurse=false`, `fetch.recurseSubmodules=false`,
 *   `credential.helper` and `core.askPass` empty,
 *   `safe.bareRepository=explicit`, `gc.auto=0`. Because no driver is configured anywhere,
 *   `.gitattributes` entries such as `* filter=x` are inert.
 * - Environment: built from scratch (PATH, TMPDIR, TZ, proxy and CA variables of the server,
 *   `LC_ALL=C`), `GIT_TERMINAL_PROMPT=0`, no `GIT_ASKPASS`/`SSH_ASKPASS`/`GIT_SSH_COMMAND`/
 *   `GIT_DIR`/`GIT_CONFIG_*` from the server; callers may add only author/committer identity
 *   and `GIT_INDEX_FILE`.
 * - Time and size: killed (with every process it started) after `timeoutMs`, on `signal`, or when
 *   standard output passes `maxBytes`.
 * - Errors: {@link GitCommandError} whose message keeps git's own reason, e.g.
 *   `git fetch: detected dubious ownership in repository at '/srv/x'`.
 */
export async function runGit(args: string[], options: RunGitOptions = {}): Promise<RunGitResult> {
  const { stdout, stderr } = await runGitBuffer(args, options);
  return { stdout: stdout.toString('utf8'), stderr };
}
