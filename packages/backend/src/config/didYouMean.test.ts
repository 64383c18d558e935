import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './didYouMean.js';

describe('didYouMean', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('listen', 'listen')).toBe(0);
    expect(editDistance('lisetn', 'listen')).toBe(1);
    expect(editDistance('databse', 'database')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest known key, a different case first, and nothing for a far-off word', () => {
    expect(didYouMean('baseURL', ['baseUrl', 'dataDir', 'listen'])).toBe('baseUrl');
    expect(didYouMean('lisen', ['baseUrl', 'dataDir', 'listen'])).toBe('listen');
    expect(didYouMean('catalgo', ['app', 'backend', 'catalog', 'techdocs'])).toBe('catalog');
    expect(didYouMean('maxRequestBodySize', ['maxRequestBodyBytes', 'listen'])).toBe('maxRequestBodyBytes');
    expect(didYouMean('kubernetes', ['app', 'backend', 'catalog'])).toBeUndefined();
  });
});
