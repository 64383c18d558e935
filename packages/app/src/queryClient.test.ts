import { ApiError } from '@atrium/frontend-plugin-api';
import { describe, expect, it } from 'vitest';
import { shouldRetryQuery } from './queryClient';

const apiError = (status: number) => new ApiError({ message: 'x', status, method: 'GET', url: '/api/x' });

describe('shouldRetryQuery', () => {
  it('never retries a 4xx', () => {
    expect(shouldRetryQuery(0, apiError(404))).toBe(false);
    expect(shouldRetryQuery(0, apiError(400))).toBe(false);
  });

  it('retries server and network errors twice', () => {
    expect(shouldRetryQuery(0, apiError(503))).toBe(true);
    expect(shouldRetryQuery(1, apiError(0))).toBe(true);
    expect(shouldRetryQuery(2, new Error('boom'))).toBe(false);
  });
});
