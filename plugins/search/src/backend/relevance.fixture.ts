/** Realistic queries over catalog-examples with a document expected in the top 3 (`<type>:<entity ref>`). */
export interface RelevanceCase {
  term: string;
  types?: string[];
  expect: string;
}

const c = (ref: string) => `software-catalog:${ref}`;

export const RELEVANCE_SET: RelevanceCase[] = [
  { term: 'payments-service', expect: c('component:default/payments-service') },
  { term: 'payments service', expect: c('component:default/payments-service') },
  { term: 'paymnt', expect: c('component:default/payments-service') },
  { term: 'pay', expect: c('component:default/payments-service') },
  { term: 'payments api', expect: c('api:default/payments-api') },
  { term: 'invoicing', expect: c('component:default/invoicing-service') },
  { term: 'invoicng', expect: c('component:default/invoicing-service') },
  { term: 'route planner', expect: c('component:default/route-planner') },
  { term: 'route optimiser', expect: c('component:default/route-optimizer') },
  { term: 'telematics', expect: c('component:default/telematics-ingest') },
  { term: 'telemetics', expect: c('component:default/telematics-ingest') },
  { term: 'driver app', expect: c('component:default/driver-app') },
  { term: 'identity service', expect: c('component:default/auth-service') },
  { term: 'openid', expect: c('api:default/auth-api') },
  { term: 'tracking page', expect: c('component:default/tracking-page') },
  { term: 'edi', expect: c('component:default/edi-carrier-bridge') },
  { term: 'graphql gateway', expect: c('component:default/storefront-bff') },
  { term: 'quote engine', expect: c('component:default/quote-engine') },
  { term: 'pricing rules', expect: c('component:default/quote-engine-rules') },
  { term: 'legacy booking', expect: c('component:default/legacy-booking-portal') },
  { term: 'inventory', expect: c('component:default/inventory-service') },
  { term: 'pick pack', expect: c('component:default/pick-pack-service') },
  { term: 'label', expect: c('component:default/label-renderer') },
  { term: 'ui kit', expect: c('component:default/acme-ui-kit') },
  { term: 'release bot', expect: c('component:default/release-bot') },
  { term: 'orders database', expect: c('resource:default/orders-db') },
  { term: 'redis', expect: c('resource:default/redis-shared') },
  { term: 'kafka order events', expect: c('resource:default/order-events-topic') },
  { term: 'proof of delivery', expect: c('resource:default/proof-of-delivery-bucket') },
  { term: 'payments team', expect: c('group:default/payments-team') },
  { term: 'storefront team', expect: c('group:default/storefront-team') },
  { term: 'priya', expect: c('user:default/priya.nair') },
  { term: 'yuki tanaka', expect: c('user:default/yuki.tanaka') },
  { term: 'fleet management', expect: c('system:default/fleet-management') },
  { term: 'warehouse management', expect: c('system:default/warehouse') },
  { term: 'developer platform', expect: c('system:default/developer-platform') },
  { term: 'node.js service', types: ['templates'], expect: 'templates:template:default/node-service' },
  { term: 'restart', types: ['templates'], expect: 'templates:template:default/restart-service' },
  { term: 'idempotency', expect: 'techdocs:/docs/default/component/orders-service/lifecycle/' },
  { term: 'OrderOutboxLag', expect: 'techdocs:/docs/default/component/orders-service/runbook/' },
  { term: 'rolling back orders', types: ['techdocs'], expect: 'techdocs:/docs/default/component/orders-service/runbook/' },
  { term: 'webhooks', types: ['techdocs'], expect: 'techdocs:/docs/default/component/tracking-service/webhooks/' },
  { term: 'request a restart', expect: 'templates:template:default/restart-service' },
];
