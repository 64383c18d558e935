import { describe, expect, it } from 'vitest';
import { isHostAllowed, isPrivateAddress } from './netGuard.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1', '[::1]',
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
