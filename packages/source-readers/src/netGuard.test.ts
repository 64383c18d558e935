import { describe, expect, it } from 'vitest';
import { ReadError } from './ReadError.js';
import { assertOutboundAllowed, isHostAllowed, isPrivateAddress, isReservedHostName } from './netGuard.js';
import { legacyIPv4, parseOutboundTarget } from './outboundTarget.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:c0a8:0101::1',
    '[::1]',
    '::ffff:0:127.0.0.1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '64:ff9b:1::1',
    '100::1',
    '192.88.99.1',
    'fe80::1%eth0',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '140.82.112.3', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001:80b::200e'])(
    'allows %s',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('isHostAllowed', () => {
  it('matches exact hosts and *. subdomain patterns, case-insensitively', () => {
    expect(isHostAllowed('anything.example', undefined)).toBe(true);
    expect(isHostAllowed('github.com', [])).toBe(false);
    expect(isHostAllowed('GitHub.com', ['github.com'])).toBe(true);
    expect(isHostAllowed('raw.githubusercontent.com', ['*.githubusercontent.com'])).toBe(true);
    expect(isHostAllowed('githubusercontent.com', ['*.githubusercontent.com'])).toBe(false);
    expect(isHostAllowed('evilgithub.com', ['*.github.com', 'github.com'])).toBe(false);
  });
});

async function refusal(target: string, options: Parameters<typeof assertOutboundAllowed>[1] = { allowPrivateNetworks: false }): Promise<ReadError> {
  const error = await assertOutboundAllowed(target, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, target).toBeInstanceOf(ReadError);
  return error as ReadError;
}

// Every spelling of "this machine" the security probe and its follow-ups tried, over every
// transport: each must be refused before anything connects.
const LOOPBACK_VARIANTS = [
  'http://127.0.0.1/x',
  'http://127.1/x',
  'http://127.0.0.1.:80/x',
  'http://2130706433/x',
  'http://0x7f000001/x',
  'http://017700000001/x',
  'http://0177.0.0.1/x',
  'http://0x7f.0.0.1/x',
  'http://0/x',
  'http://0.0.0.0/x',
  'http://[::1]/x',
  'http://[0:0:0:0:0:0:0:1]/x',
  'http://[::]/x',
  'http://[::ffff:127.0.0.1]/x',
  'http://[::ffff:7f00:1]/x',
  'http://[64:ff9b::127.0.0.1]/x',
  'http://[2002:7f00:1::]/x',
  'http://localhost/x',
  'http://LOCALHOST./x',
  'http://localhost./x',
  'http://foo.localhost/x',
  'https://169.254.169.254/latest/meta-data',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://metadata/x',
  'https://printer.local/x',
  'https://router.home.arpa/x',
  'x@127.0.0.1:repo',
  '127.0.0.1:repo',
  'git@localhost:org/repo.git',
  'LOCALHOST.:repo',
  'x@[::1]:repo',
  '[::1]:repo',
  '[127.0.0.1:2222]:repo',
  'x@0x7f.1:repo',
  'ssh://x@127.0.0.1/repo',
  'ssh://127.0.0.1:22/repo',
  'ssh://[::ffff:127.0.0.1]/repo',
  'git+ssh://localhost/repo',
  'ssh+git://2130706433/repo',
  'git://127.0.0.1/repo',
  'git://0x7f.1/repo',
  'git://LOCALHOST./repo',
  'ssh://evil.example.com#@127.0.0.1/repo',
  'ssh://a@b@127.0.0.1/repo',
  'https://10.0.0.1/repo.git',
  'https://[fd00::1]/repo.git',
];

describe('assertOutboundAllowed', () => {
  it.each(LOOPBACK_VARIANTS)('refuses %s', async (target) => {
    const error = await refusal(target);
    expect(error.kind).toBe('security');
    expect(error.message).toMatch(/loopback, private|reserved name|ambiguous|not allowed before the path/);
  });

  it.each([
    'ext::sh -c touch% /tmp/pwned',
    'fd::3',
    'https::example.com/x',
    'ftp://example.com/x',
    'foo://example.com/x',
    'http:127.0.0.1',
    '--upload-pack=touch /tmp/pwned',
    '-oProxyCommand=touch /tmp/pwned:x',
    'ssh://-oProxyCommand=touch%20x/repo',
    'ssh://%2doProxyCommand=x/repo',
    'ssh://127.0.0.1%2f@evil.example.com/x',
    'ssh://-x@example.com/repo',
    'https://exa mple.com/x',
    'https://example.com\\@127.0.0.1/x',
    'https://example.com/x\n',
    'relative/path',
    'file:///etc',
    '/srv/repos/x.git',
  ])('refuses %j', async (target) => {
    expect((await refusal(target)).kind).toBe('security');
  });

  it('checks every resolved address, after resolution', async () => {
    const lookup = async (host: string) => (host === 'mixed.example.com' ? ['93.184.216.34', '10.0.0.7'] : ['93.184.216.34']);
    const error = await refusal('https://mixed.example.com/repo.git', { allowPrivateNetworks: false, lookup });
    expect(error.message).toMatch(/mixed\.example\.com resolves to 10\.0\.0\.7/);
    const scp = await refusal('git@mixed.example.com:org/repo.git', { allowPrivateNetworks: false, lookup });
    expect(scp.message).toMatch(/resolves to 10\.0\.0\.7/);
    const ok = await assertOutboundAllowed('git@public.example.com:org/repo.git', { allowPrivateNetworks: false, lookup });
    expect(ok).toMatchObject({ transport: 'ssh', syntax: 'scp', host: 'public.example.com', user: 'git', addresses: ['93.184.216.34'] });
  });

  it('refuses reserved names even when they resolve to public addresses or not at all', async () => {
    const lookup = async () => ['93.184.216.34'];
    expect((await refusal('https://metadata.google.internal/', { allowPrivateNetworks: false, lookup })).message).toMatch(/reserved name/);
    const missing = async () => {
      throw new Error('ENOTFOUND');
    };
    expect((await refusal('https://LOCALHOST./', { allowPrivateNetworks: false, lookup: missing })).message).toMatch(/reserved name/);
  });

  it('names the config key that would allow a private destination', async () => {
    const error = await refusal('http://127.0.0.1/x', { allowPrivateNetworks: false, privateNetworksKey: 'catalog.readers.allowPrivateNetworks' });
    expect(error.message).toContain('set catalog.readers.allowPrivateNetworks: true to allow it');
  });

  it('allows private destinations, local paths and listed hosts only when configured', async () => {
    expect(await assertOutboundAllowed('x@127.0.0.1:repo', { allowPrivateNetworks: true })).toMatchObject({
      transport: 'ssh',
      host: '127.0.0.1',
      addresses: [],
    });
    expect(await assertOutboundAllowed('/srv/repos/x.git', { allowPrivateNetworks: false, allowFile: true })).toMatchObject({
      transport: 'file',
      filePath: '/srv/repos/x.git',
    });
    expect(await assertOutboundAllowed('file:///srv/repos/x.git', { allowPrivateNetworks: false, allowFile: true })).toMatchObject({
      transport: 'file',
      filePath: '/srv/repos/x.git',
    });
    expect((await refusal('https://github.com/x.git', { allowPrivateNetworks: true, allowedHosts: ['gitlab.com'] })).message).toMatch(
      /not in the allowed URL hosts/,
    );
    expect((await refusal('git://github.com/x.git', { allowPrivateNetworks: true, transports: ['https'] })).message).toMatch(/git transport is not allowed/);
    expect(await assertOutboundAllowed('https://93.184.216.34/x.git', { allowPrivateNetworks: false })).toMatchObject({
      host: '93.184.216.34',
      addresses: ['93.184.216.34'],
    });
  });
});

describe('parseOutboundTarget', () => {
  it('reads every syntax git accepts the way git does', () => {
    expect(parseOutboundTarget('https://user:tok@github.com:8443/o/r.git')).toMatchObject({
      transport: 'https',
      syntax: 'url',
      host: 'github.com',
      port: 8443,
      user: 'user:tok',
    });
    expect(parseOutboundTarget('git@github.com:o/r.git')).toMatchObject({ transport: 'ssh', syntax: 'scp', host: 'github.com', user: 'git' });
    expect(parseOutboundTarget('github.com:o/r.git')).toMatchObject({ transport: 'ssh', syntax: 'scp', host: 'github.com' });
    expect(parseOutboundTarget('[git.example.com:2222]:o/r.git')).toMatchObject({ transport: 'ssh', host: 'git.example.com', port: 2222 });
    expect(parseOutboundTarget('git@[2001:db8::1]:o/r.git')).toMatchObject({ transport: 'ssh', host: '2001:db8::1', user: 'git' });
    expect(parseOutboundTarget('ssh://git@[2001:db8::1]:2222/o/r.git')).toMatchObject({ transport: 'ssh', host: '2001:db8::1', port: 2222 });
    expect(parseOutboundTarget('git+ssh://h.example.com/o/r')).toMatchObject({ transport: 'ssh', host: 'h.example.com' });
    expect(parseOutboundTarget('git://h.example.com/o/r')).toMatchObject({ transport: 'git', host: 'h.example.com', defaultPort: 9418 });
    expect(parseOutboundTarget('/srv/r.git')).toMatchObject({ transport: 'file', syntax: 'path', filePath: '/srv/r.git' });
    expect(() => parseOutboundTarget('./a:b')).toThrow(/local repository path must be absolute/); // "/" before ":": a path
  });

  it.each([
    ['127.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['10.1', '10.0.0.1'],
    ['0', '0.0.0.0'],
    ['127.0.0.1.', '127.0.0.1'],
  ])('reads the IPv4 literal %s as %s', (text, quad) => {
    expect(legacyIPv4(text)).toBe(quad);
  });

  it.each(['example.com', '1.2.3.4.5', '08.0.0.1', '256.0.0.1', '4294967296', '1e3'])('%s is no IPv4 literal', (text) => {
    expect(legacyIPv4(text)).toBeUndefined();
  });
});

describe('isReservedHostName', () => {
  it.each([
    'localhost',
    'LOCALHOST.',
    'localhost..',
    'a.b.localhost',
    'metadata.google.internal',
    'metadata',
    'x.local',
    'r.home.arpa',
    'localhost.localdomain',
  ])('%s is reserved', (h) => {
    expect(isReservedHostName(h)).toBe(true);
  });
  it.each(['example.com', 'github.com', 'localhost.example.com', 'internal.example.com'])('%s is not', (h) => {
    expect(isReservedHostName(h)).toBe(false);
  });
});
