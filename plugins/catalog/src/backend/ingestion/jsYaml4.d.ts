/** The part of js-yaml 4's API (installed as `js-yaml-4`) that fastYaml.ts uses. */
declare module 'js-yaml-4' {
  export class Type {
    constructor(
      tag: string,
      options: { kind: 'scalar' | 'sequence' | 'mapping'; resolve?: (data: string | null) => boolean; construct?: (data: string) => unknown },
    );
  }
  export class Schema {
    extend(definition: { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export const types: { null: Type; bool: Type; merge: Type };
  export function loadAll(text: string, iterator?: null, options?: { schema?: Schema }): unknown[];
}
