import type { OpenApiFragment } from '@atrium/backend-plugin-api';

export const automationsOpenApi: OpenApiFragment = {
  tags: [{ name: 'automations', description: 'Rules that act on catalog and plugin events: webhooks, notifications, email' }],
  components: {
    schemas: {
      AutomationList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object' } } } },
    },
  },
};
