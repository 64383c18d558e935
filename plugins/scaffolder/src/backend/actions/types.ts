import type { JsonSchema } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { TemplateSources } from '../sources.js';

/** What a step's action may log; secrets are masked before anything is stored. */
export interface StepLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ActionContext<I = Record<string, unknown>> {
  input: I;
  workspacePath: string;
  logger: StepLogger;
  output(name: string, value: unknown): void;
  createTemporaryDirectory(): Promise<string>;
  secrets: Record<string, string>;
  user: { ref?: string; entity?: Record<string, unknown> };
  templateInfo: { entityRef: string; baseUrl?: string };
  isDryRun: boolean;
  signal: AbortSignal;
  taskId: string;
  stepId: string;
  /** Reads template-relative sources (skeletons) through the hardened readers. */
  sources: TemplateSources;
  /** The catalog, in-process. */
  catalog: CatalogService;
}

/** A scaffolder action. Plugins add their own through `scaffolderActionsRef`. */
export interface TemplateAction<I = Record<string, unknown>> {
  id: string;
  description?: string;
  examples?: Array<{ description: string; example: string }>;
  /** JSON Schemas; `input` is checked before the step runs. */
  schema?: { input?: JsonSchema; output?: JsonSchema };
  /** Runs in dry runs too; actions without it are skipped there (with a log line). */
  supportsDryRun?: boolean;
  handler(ctx: ActionContext<I>): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTemplateAction = TemplateAction<any>;

/** The service other plugins use to add actions. */
export interface ScaffolderActionsService {
  registerAction(action: AnyTemplateAction): void;
}

export function createTemplateAction<I = Record<string, unknown>>(action: TemplateAction<I>): TemplateAction<I> {
  return action;
}
