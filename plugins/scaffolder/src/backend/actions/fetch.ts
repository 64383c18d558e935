import path from 'node:path';
import picomatch from 'picomatch';
import { TemplateRenderer } from '../templating/renderer.js';
import { resolveInWorkspace, writeWorkspaceFile } from '../workspace.js';
import { createTemplateAction, type ActionContext, type AnyTemplateAction } from './types.js';
import { promises as fs } from 'node:fs';

const token = { type: ['string', 'boolean', 'null'], description: "Ignored: sources are read with the portal's own readers." };

export const fetchPlainAction = createTemplateAction<{ url: string; targetPath?: string }>({
  id: 'fetch:plain',
  description: 'Copies a folder (relative to the template, or a file/git location) into the workspace as is.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string', minLength: 1 }, targetPath: { type: 'string' }, token },
    },
  },
  async handler(ctx) {
    const files = await ctx.sources.readDirectory(ctx.input.url);
    const target = ctx.input.targetPath ?? './';
    for (const file of files) {
      ctx.signal.throwIfAborted();
      await writeWorkspaceFile(ctx.workspacePath, path.posix.join(target, file.path), file.content, file.executable ? 0o755 : undefined);
    }
    ctx.logger.info(`Fetched ${files.length} file(s) from ${ctx.input.url} into ${target}`);
  },
});

export const fetchPlainFileAction = createTemplateAction<{ url: string; targetPath: string }>({
  id: 'fetch:plain:file',
  description: 'Copies one file into the workspace as is.',
  supportsDryRun: true,
  schema: {
    input: {
      type: 'object',
      required: ['url', 'targetPath'],
      properties: { url: { type: 'string', minLength: 1 }, targetPath: { type: 'string', minLength: 1 }, token },
    },
  },
  async handler(ctx) {
    const content = await ctx.sources.readFile(ctx.input.url);
    await writeWorkspaceFile(ctx.workspacePath, ctx.input.targetPath, content);
    ctx.logger.info(`Fetched ${ctx.input.url} into ${ctx.input.targetPath}`);
  },
});

interface FetchTemplateInput {
  url: string;
  targetPath?: string;
  values?: Record<string, unknown>;
  copyWithoutTemplating?: string[];
  /** Deprecated Backstage name, still seen in older templates. */
  copyWithoutRender?: string[];
  cookiecutterCompat?: boolean;
  templateFileExtension?: boolean | string;
  replace?: boolean;
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
}

const fetchTemplateSchema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1 },
    targetPath: { type: 'string' },
    values: { type: 'object' },
    copyWithoutTemplating: { type: 'array', items: { type: 'string' } },
    copyWithoutRender: { type: 'array', items: { type: 'string' } },
    cookiecutterCompat: { type: 'boolean' },
    templateFileExtension: { type: ['boolean', 'string'] },
    replace: { type: 'boolean' },
    trimBlocks: { type: 'boolean' },
    lstripBlocks: { type: 'boolean' },
    token,
  },
};

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

async function runFetchTemplate(ctx: ActionContext<FetchTemplateInput>, cookiecutterDefault: boolean): Promise<void> {
  const input = ctx.input;
  const cookiecutterCompat = input.cookiecutterCompat ?? cookiecutterDefault;
  const renderer = new TemplateRenderer({
    cookiecutterCompat,
    trimBlocks: input.trimBlocks ?? false,
    lstripBlocks: input.lstripBlocks ?? false,
  });
  // File names use the `${{ }}` form even in cookiecutter mode, plus `{{ cookiecutter.x }}`.
  const nameRenderer = cookiecutterCompat ? renderer : undefined;
  const plainRenderer = new TemplateRenderer();
  const context = { values: input.values ?? {} };
  const verbatim = picomatch([...(input.copyWithoutTemplating ?? []), ...(input.copyWithoutRender ?? [])], { dot: true });
  const hasVerbatim = (input.copyWithoutTemplating?.length ?? 0) + (input.copyWithoutRender?.length ?? 0) > 0;
  const ext = input.templateFileExtension === true ? '.njk' : typeof input.templateFileExtension === 'string' ? input.templateFileExtension : undefined;

  const files = await ctx.sources.readDirectory(input.url);
  const target = input.targetPath ?? './';
  let rendered = 0;
  for (const file of files) {
    // Each file renders within its own budget; a step timeout or cancel stops between files.
    ctx.signal.throwIfAborted();
    let name = plainRenderer.renderString(file.path, context);
    if (nameRenderer) name = nameRenderer.renderString(name, context);
    if (name.split('/').some((seg) => seg === '')) {
      ctx.logger.warn(`Skipping ${file.path}: its name renders to an empty path segment`);
      continue;
    }
    let render = !isBinary(file.content);
    if (hasVerbatim && verbatim(file.path)) render = false;
    if (ext) {
      if (name.endsWith(ext)) name = name.slice(0, -ext.length);
      else render = false;
    }
    const dest = path.posix.join(target, name);
    const abs = await resolveInWorkspace(ctx.workspacePath, dest, 'skeleton file');
    if (input.replace === false && (await exists(abs))) continue;
    const content = render ? renderer.renderString(file.content.toString('utf8'), context) : file.content;
    await writeWorkspaceFile(ctx.workspacePath, dest, content, file.executable ? 0o755 : undefined);
    if (render) rendered++;
  }
  ctx.logger.info(`Templated ${rendered} and copied ${files.length - rendered} file(s) from ${input.url} into ${target}`);
}

export const fetchTemplateAction = createTemplateAction<FetchTemplateInput>({
  id: 'fetch:template',
  description: 'Copies a skeleton folder into the workspace, rendering file names and contents with ${{ values.x }}.',
  supportsDryRun: true,
  schema: { input: fetchTemplateSchema },
  handler: (ctx) => runFetchTemplate(ctx, false),
});

/** Backstage runs cookiecutter in Docker; Atrium renders the same `{{ cookiecutter.x }}` skeletons with nunjucks. */
export const fetchCookiecutterAction = createTemplateAction<FetchTemplateInput>({
  id: 'fetch:cookiecutter',
  description: 'Renders a cookiecutter skeleton ({{ cookiecutter.x }}) with nunjucks; no Docker or Python needed.',
  supportsDryRun: true,
  schema: {
    input: {
      ...fetchTemplateSchema,
      properties: {
        ...fetchTemplateSchema.properties,
        copyWithoutRender: { type: 'array', items: { type: 'string' } },
        extensions: { type: 'array' },
        imageName: { type: 'string' },
      },
    },
  },
  handler: (ctx) => runFetchTemplate(ctx, true),
});

export const fetchTemplateFileAction = createTemplateAction<FetchTemplateInput & { targetPath: string }>({
  id: 'fetch:template:file',
  description: 'Renders one file with ${{ values.x }} into the workspace.',
  supportsDryRun: true,
  schema: { input: { ...fetchTemplateSchema, required: ['url', 'targetPath'] } },
  async handler(ctx) {
    const renderer = new TemplateRenderer({
      cookiecutterCompat: ctx.input.cookiecutterCompat ?? false,
      trimBlocks: ctx.input.trimBlocks ?? false,
      lstripBlocks: ctx.input.lstripBlocks ?? false,
    });
    const content = await ctx.sources.readFile(ctx.input.url);
    const abs = await resolveInWorkspace(ctx.workspacePath, ctx.input.targetPath);
    if (ctx.input.replace === false && (await exists(abs))) return;
    const out = isBinary(content) ? content : renderer.renderString(content.toString('utf8'), { values: ctx.input.values ?? {} });
    await writeWorkspaceFile(ctx.workspacePath, ctx.input.targetPath, out);
    ctx.logger.info(`Templated ${ctx.input.url} into ${ctx.input.targetPath}`);
  },
});

export const fetchActions: AnyTemplateAction[] = [
  fetchPlainAction,
  fetchPlainFileAction,
  fetchTemplateAction,
  fetchTemplateFileAction,
  fetchCookiecutterAction,
];
