/** The part of js-yaml 4's API (installed as `js-yaml-4`) that fastYaml.ts uses. */
declare module 'js-yaml-4' {
  export interface Type {
    readonly tag: string;
  }
  export const Type: new (
    tag: string,
    options: { kind: 'scalar' | 'sequence' | 'mapping'; resolve?: (data: string | null) => boolean; construct?: (data: string) => unknown },
  ) => Type;
  export class Schema {
    extend(definition: { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export const types: { null: Type; bool: Type; merge: Type };
  export function loadAll(text: string, iterator?: null, options?: { schema?: Schema }): unknown[];
}
