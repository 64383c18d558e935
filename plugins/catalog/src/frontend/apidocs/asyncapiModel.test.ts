import { describe, expect, it } from 'vitest';
import { buildAsyncApiModel } from './asyncapiModel';
import { parseDefinition } from './openapiModel';

describe('buildAsyncApiModel', () => {
  it('reads AsyncAPI 3 operations with their channel address and messages', () => {
    const model = buildAsyncApiModel(
      parseDefinition(`
asyncapi: 3.0.0
info: { title: Order Events, version: 1.3.0 }
servers:
  production: { host: kafka:9093, protocol: kafka-secure, description: Prod }
channels:
  orderEvents:
    address: commerce.order-events.v1
    messages:
      orderPlaced: { $ref: '#/components/messages/OrderPlaced' }
      orderCancelled: { name: OrderCancelled, payload: { type: object } }
  deadLetters:
    address: commerce.dlq
operations:
  publishOrderEvents:
    action: send
    channel: { $ref: '#/channels/orderEvents' }
    summary: Order lifecycle events
    messages:
      - $ref: '#/channels/orderEvents/messages/orderPlaced'
components:
  messages:
    OrderPlaced:
      title: Order placed
      contentType: application/json
      payload: { $ref: '#/components/schemas/OrderPlaced' }
  schemas:
    OrderPlaced: { type: object, properties: { orderId: { type: string } } }
`),
    );
    expect(model).toMatchObject({ version: 'AsyncAPI 3.0.0', title: 'Order Events', apiVersion: '1.3.0' });
    expect(model.servers).toEqual([{ name: 'production', url: 'kafka:9093', protocol: 'kafka-secure', description: 'Prod' }]);
    expect(model.operations.map((o) => [o.id, o.action, o.channel, o.messages.map((m) => m.name)])).toEqual([
      ['publishOrderEvents', 'send', 'commerce.order-events.v1', ['orderPlaced']],
      ['deadLetters', 'channel', 'commerce.dlq', []],
    ]);
    expect(model.operations[0]!.messages[0]).toMatchObject({ title: 'Order placed', contentType: 'application/json' });
    expect(model.schemas.map((s) => s.name)).toEqual(['OrderPlaced']);
  });

  it('reads AsyncAPI 2 publish and subscribe operations, including oneOf messages', () => {
    const model = buildAsyncApiModel(
      parseDefinition(`
asyncapi: 2.6.0
info: { title: Shipments, version: 2.0.0 }
servers:
  production: { url: mqtt://broker:8883, protocol: mqtts }
channels:
  logistics.shipment-events.v2:
    description: Shipment events
    subscribe:
      operationId: onShipmentEvent
      message:
        oneOf:
          - { name: ShipmentPickedUp, payload: { type: object } }
          - { name: ShipmentDelivered, payload: { type: object } }
`),
    );
    expect(model.servers[0]).toEqual({ name: 'production', url: 'mqtt://broker:8883', protocol: 'mqtts' });
    expect(model.operations).toEqual([
      expect.objectContaining({
        id: 'onShipmentEvent',
        action: 'subscribe',
        channel: 'logistics.shipment-events.v2',
        channelDescription: 'Shipment events',
        messages: [expect.objectContaining({ name: 'ShipmentPickedUp' }), expect.objectContaining({ name: 'ShipmentDelivered' })],
      }),
    ]);
  });
});
