import { isPlainObject } from './fieldPaths.js';
import { describePlace, type Place } from './locations.js';

export type ReadParsed = (base: Place, target: string) => Promise<{ value: unknown; place: Place }>;

const MAX_INLINED = 2000;
const MAX_DEPTH = 32;

/**
 * Inlines the external `$ref`s of an OpenAPI/AsyncAPI document that point at relative files
 * (`$ref: ./schemas/pet.yaml#/Pet`), so the stored definition is self-contained. Refs to
 * absolute URLs and the document's own `#/…` refs stay as they are; `#/…` refs inside an
 * inlined file are resolved against that file. Cycles are left as refs.
 */
export async function bundleExternalRefs(document: unknown, place: Place, read: ReadParsed): Promise<{ value: unknown; changed: boolean }> {
  const state = { inlined: 0, changed: false };
  const cache = new Map<string, Promise<{ value: unknown; place: Place }>>();
  const load = (base: Place, target: string) => {
    const key = `${describePlace(base)}\n${target}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = read(base, target);
      cache.set(key, entry);
    }
    return entry;
  };

  // `root` is the document that `#/…` refs resolve against; undefined for the main document.
  const walk = async (node: unknown, base: Place, root: unknown, stack: string[]): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map((item) => walk(item, base, root, stack)));
    if (!isPlainObject(node)) return node;
    const ref = node.$ref;
    if (typeof ref === 'string' && stack.length < MAX_DEPTH && state.inlined < MAX_INLINED) {
      const [file = '', pointer = ''] = splitRef(ref);
      const external = file !== '' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(file);
      const internalOfInlined = file === '' && root !== undefined;
      if (external || internalOfInlined) {
        const target = external ? await load(base, file) : { value: root, place: base };
        const key = `${describePlace(target.place)}#${pointer}`;
        if (!stack.includes(key)) {
          const fragment = resolvePointer(target.value, pointer, ref);
          state.inlined++;
          state.changed = true;
          const inlined = await walk(fragment, target.place, target.value, [...stack, key]);
          const { $ref: _omit, ...siblings } = node;
          if (Object.keys(siblings).length === 0 || !isPlainObject(inlined)) return inlined;
          return { ...inlined, ...(await walkEntries(siblings, base, root, stack)) };
        }
      }
    }
    return walkEntries(node, base, root, stack);
  };
  const walkEntries = async (node: Record<string, unknown>, base: Place, root: unknown, stack: string[]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = await walk(v, base, root, stack);
    return out;
  };

  const value = await walk(document, place, undefined, []);
  return { value: state.changed ? value : document, changed: state.changed };
}

function splitRef(ref: string): [string, string] {
  const hash = ref.indexOf('#');
  return hash === -1 ? [ref, ''] : [ref.slice(0, hash), ref.slice(hash + 1)];
}

function resolvePointer(document: unknown, pointer: string, ref: string): unknown {
  if (pointer === '' || pointer === '/') return document;
  let current = document;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isPlainObject(current) && Object.hasOwn(current, key)) current = current[key];
    else throw new Error(`$ref ${JSON.stringify(ref)} points at nothing: no ${JSON.stringify(key)} in the target document`);
  }
  return current;
}
