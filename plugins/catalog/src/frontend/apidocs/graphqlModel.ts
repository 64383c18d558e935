import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** A GraphQL SDL document as an explorable list of types, via the reference `graphql` implementation. */

export type GqlTypeKind = 'object' | 'interface' | 'union' | 'enum' | 'input' | 'scalar';

export interface GqlTypeSummary {
  name: string;
  kind: GqlTypeKind;
  description?: string;
  /** Set for the schema's root operation types. */
  root?: 'query' | 'mutation' | 'subscription';
}

export interface GqlArgView {
  name: string;
  type: string;
  typeName: string;
  description?: string;
  defaultValue?: string;
}

export interface GqlFieldView extends GqlArgView {
  args: GqlArgView[];
  deprecationReason?: string;
}

export interface GqlTypeView extends GqlTypeSummary {
  fields: GqlFieldView[];
  enumValues: Array<{ name: string; description?: string; deprecationReason?: string }>;
  /** Members of a union, implementations of an interface. */
  possibleTypes: string[];
  interfaces: string[];
}

export interface GraphqlModel {
  schema: GraphQLSchema;
  types: GqlTypeSummary[];
}

const KIND_ORDER: GqlTypeKind[] = ['object', 'interface', 'union', 'enum', 'input', 'scalar'];
const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

export function buildGraphqlModel(sdl: string): GraphqlModel {
  const schema = buildSchema(sdl);
  const roots = new Map<string, GqlTypeSummary['root']>([
    [schema.getQueryType()?.name ?? '', 'query'],
    [schema.getMutationType()?.name ?? '', 'mutation'],
    [schema.getSubscriptionType()?.name ?? '', 'subscription'],
  ]);
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !BUILT_IN_SCALARS.has(type.name))
    .map((type): GqlTypeSummary => {
      const root = roots.get(type.name);
      return { name: type.name, kind: kindOf(type), ...(type.description ? { description: type.description } : {}), ...(root ? { root } : {}) };
    })
    .sort((a, b) => rootRank(a) - rootRank(b) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name));
  return { schema, types };
}

function rootRank(type: GqlTypeSummary): number {
  return type.root === 'query' ? 0 : type.root === 'mutation' ? 1 : type.root === 'subscription' ? 2 : 3;
}

export function kindOf(type: GraphQLNamedType): GqlTypeKind {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input';
  return 'scalar';
}

function argView(arg: GraphQLArgument | GraphQLInputField): GqlArgView {
  return {
    name: arg.name,
    type: String(arg.type),
    typeName: getNamedType(arg.type).name,
    ...(arg.description ? { description: arg.description } : {}),
    ...(arg.defaultValue !== undefined ? { defaultValue: JSON.stringify(arg.defaultValue) } : {}),
  };
}

function fieldView(field: GraphQLField<unknown, unknown>): GqlFieldView {
  return {
    name: field.name,
    type: String(field.type),
    typeName: getNamedType(field.type).name,
    ...(field.description ? { description: field.description } : {}),
    args: field.args.map(argView),
    ...(field.deprecationReason ? { deprecationReason: field.deprecationReason } : {}),
  };
}

/** Everything the explorer shows about one type; undefined for an unknown name. */
export function typeView(model: GraphqlModel, name: string): GqlTypeView | undefined {
  const type = model.schema.getType(name);
  if (!type) return undefined;
  const summary = model.types.find((t) => t.name === name) ?? { name, kind: kindOf(type) };
  const fields =
    isObjectType(type) || isInterfaceType(type)
      ? Object.values(type.getFields()).map(fieldView)
      : isInputObjectType(type)
        ? Object.values(type.getFields()).map((f) => ({ ...argView(f), args: [] }))
        : [];
  return {
    ...summary,
    fields,
    enumValues: isEnumType(type)
      ? type.getValues().map((v) => ({
          name: v.name,
          ...(v.description ? { description: v.description } : {}),
          ...(v.deprecationReason ? { deprecationReason: v.deprecationReason } : {}),
        }))
      : [],
    possibleTypes: isUnionType(type) || isInterfaceType(type) ? model.schema.getPossibleTypes(type).map((t) => t.name) : [],
    interfaces: isObjectType(type) || isInterfaceType(type) ? type.getInterfaces().map((i) => i.name) : [],
  };
}

/** Whether a type name can be opened in the explorer (built-in scalars cannot). */
export function isExplorable(model: GraphqlModel, name: string): boolean {
  return model.types.some((t) => t.name === name);
}

export { isScalarType };
