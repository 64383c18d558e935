import { describe, expect, it } from 'vitest';
import { locationTypeOf } from './locationInput';

describe('locationTypeOf', () => {
  it.each([
    ['https://github.com/acme/orders/blob/main/catalog-info.yaml', 'url'],
    ['https://github.com/acme/orders', 'url'],
    ['  /srv/repos/orders/catalog-info.yaml ', 'file'],
    ['git@github.com:acme/orders.git', 'git'],
    ['https://git.example.com/acme/orders.git', 'git'],
    ['ssh://git@example.com/acme/orders', 'git'],
  ])('%s is a %s location', (input, type) => {
    expect(locationTypeOf(input)).toBe(type);
  });
});
