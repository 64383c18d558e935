import { describe, expect, it } from 'vitest';
import { checkRef, gitBaseOf, githubHosts, parseRepoUrl, repoPath } from './common.js';

describe('GitHub action inputs', () => {
  it('reads Backstage’s repoUrl and names what is wrong with it', () => {
    expect(parseRepoUrl('github.com?owner=acme&repo=payments')).toEqual({ host: 'github.com', owner: 'acme', repo: 'payments' });
    expect(parseRepoUrl('GHE.example.com:8443?repo=x.y&owner=Acme-1')).toEqual({ host: 'ghe.example.com:8443', owner: 'Acme-1', repo: 'x.y' });
    expect(() => parseRepoUrl('github.com?repo=x')).toThrow(/repoUrl "github\.com\?repo=x" has no owner/);
    expect(() => parseRepoUrl('github.com?owner=acme')).toThrow(/has no repo/);
    expect(() => parseRepoUrl('github.com/acme/x')).toThrow(/is not host\?owner=org&repo=name/);
    expect(() => parseRepoUrl('user:pw@github.com?owner=a&repo=b')).toThrow(/is not host\?owner/);
    expect(() => parseRepoUrl('github.com?owner=--upload-pack=x&repo=b')).toThrow(/repoUrl owner "--upload-pack=x"/);
    expect(() => parseRepoUrl('github.com?owner=acme&repo=..')).toThrow(/repoUrl repo "\.\."/);
    expect(() => parseRepoUrl('github.com?owner=acme&repo=a/b')).toThrow(/repoUrl repo "a\/b"/);
    expect(() => parseRepoUrl(42)).toThrow(/repoUrl must be a string/);
  });

  it('finds where git reaches a host’s repositories', () => {
    const host = (apiBaseUrl: string, name = 'ghe.example.com') => ({ host: name, apiBaseUrl, apps: [], guarded: false });
    expect(gitBaseOf(host('https://api.github.com', 'github.com'))).toBe('https://github.com');
    expect(gitBaseOf(host('https://ghe.example.com/api/v3'))).toBe('https://ghe.example.com');
    expect(gitBaseOf(host('http://127.0.0.1:4567/api/v3/'))).toBe('http://127.0.0.1:4567');
    expect(gitBaseOf(host('https://api.acme.ghe.com', 'acme.ghe.com'))).toBe('https://acme.ghe.com');
  });

  it('keeps targetPath inside the repository and names the input of a bad branch', () => {
    expect(repoPath(undefined, 'targetPath')).toBe('');
    expect(repoPath('/docs/', 'targetPath')).toBe('docs');
    expect(() => repoPath('docs/../../x', 'targetPath')).toThrow(/^targetPath: refused path/);
    expect(() => repoPath('-x', 'targetPath')).toThrow(/^targetPath/);
    expect(checkRef('feature/a', 'branchName')).toBe('feature/a');
    expect(() => checkRef('--upload-pack=x', 'branchName')).toThrow(/^branchName: /);
    expect(() => checkRef('a..b', 'defaultBranch')).toThrow(/^defaultBranch: /);
  });

  it('takes hosts from the config first, then admin-added integrations (whose API root is guarded)', async () => {
    const store = {
      list: async () => [
        { host: 'ghe.acme.io', apiBaseUrl: 'https://ghe.acme.io/api/v3', credentials: () => ({ token: 'stored' }) },
        {
          host: 'broken.io',
          apiBaseUrl: 'https://broken.io/api/v3',
          credentials: () => {
            throw new Error('cannot decrypt');
          },
        },
      ],
    } as never;
    const hosts = await githubHosts(
      {
        github: [
          { host: 'github.com', token: 'ghp_x' },
          { host: 'apps.example.com', apps: [{ appId: 7, privateKey: 'pem', installationId: 9 }] },
          { host: 'nocreds.example.com' },
        ],
        gitlab: [],
        discovery: { github: [] },
      },
      store,
    );
    expect(hosts).toEqual([
      { host: 'github.com', apiBaseUrl: 'https://api.github.com', token: 'ghp_x', apps: [], guarded: false },
      { host: 'apps.example.com', apiBaseUrl: 'https://apps.example.com/api/v3', apps: [{ appId: 7, privateKey: 'pem', installationId: 9 }], guarded: false },
      { host: 'ghe.acme.io', apiBaseUrl: 'https://ghe.acme.io/api/v3', token: 'stored', apps: [], guarded: true },
    ]);
  });
});
