import { definePlugin } from '@atrium/backend-plugin-api';
import { automationsServiceRef } from '../service.js';

/** A test plugin that registers its own trigger types through the automations service. */
export const probePlugin = definePlugin({
  id: 'probe',
  deps: { automations: automationsServiceRef },
  setup({ deps }) {
    deps.automations.registerTrigger({ type: 'probe.ping', description: 'A test event' });
    deps.automations.registerTrigger({ type: 'probe.loop', description: 'An event an automation raises again' });
  },
});
