import { describe, expect, it } from 'vitest';
import type { ApiOperation } from './openapiModel';
import { buildTryRequest } from './TryItPanel';

const operation: ApiOperation = {
  id: 'getOrder',
  method: 'get',
  path: '/orders/{orderId}/lines/{line}',
  deprecated: false,
  tags: [],
  parameters: [
    { name: 'orderId', in: 'path', required: true, deprecated: false },
    { name: 'line', in: 'path', required: true, deprecated: false },
    { name: 'expand', in: 'query', required: false, deprecated: false },
    { name: 'X-Request-Id', in: 'header', required: false, deprecated: false },
  ],
  responses: [],
  security: [],
};

describe('buildTryRequest', () => {
  it('fills path, query and header parameters and encodes them', () => {
    expect(
      buildTryRequest('https://api.example.com/v1/', operation, {
        'path:orderId': 'ord 1/2',
        'path:line': '3',
        'query:expand': 'shipments',
        'header:X-Request-Id': 'abc',
      }),
    ).toEqual({ url: 'https://api.example.com/v1/orders/ord%201%2F2/lines/3?expand=shipments', headers: { 'X-Request-Id': 'abc' } });
  });

  it('leaves empty parameters out', () => {
    expect(buildTryRequest('https://x', operation, { 'query:expand': '' }).url).toBe('https://x/orders/{orderId}/lines/{line}');
  });
});
