import { createServiceRef } from '@atrium/backend-plugin-api';

/** A trigger type a plugin adds: automations may then listen to it (`trigger: { type }`). */
export interface TriggerRegistration {
  /** `<pluginId>.<name>`, lower case, e.g. `oncall.shift.started`. */
  type: string;
  description: string;
}

/** What the automations plugin offers other backend plugins (`deps` or `optionalDeps: { automations: automationsServiceRef }`). */
export interface AutomationsService {
  /** Declares a trigger type; call it in setup(). Its events come from `emit`; the automations on it are enabled at once (an event emitted right after runs them). */
  registerTrigger(trigger: TriggerRegistration): void;
  /**
   * Records an event of a registered type in the plugin's durable journal (in `trx` when given,
   * so it commits with the change it describes). Every automation listening to the type runs once.
   * `hop`: how many automation steps led here (pass on the `x-atrium-automation-hop` header you received).
   */
  emit(type: string, event?: { entityRef?: string; payload?: unknown; hop?: number }, options?: { trx?: unknown }): Promise<void>;
}

export const automationsServiceRef = createServiceRef<AutomationsService>('automations');
