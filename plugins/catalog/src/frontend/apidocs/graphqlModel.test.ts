import { describe, expect, it } from 'vitest';
import { buildGraphqlModel, typeView } from './graphqlModel';

const sdl = `
schema { query: Query, mutation: Mutation }
"An ISO date." scalar Date
type Query {
  "One order."
  order(id: ID!, includeLines: Boolean = false): Order
  orders(first: Int = 20): [Order!]!
}
type Mutation { cancel(id: ID!): Order }
interface Node { id: ID! }
type Order implements Node {
  id: ID!
  status: Status!
  placedOn: Date
  legacyRef: String @deprecated(reason: "Use id.")
}
enum Status { OPEN, "Left the warehouse." SHIPPED }
union SearchResult = Order
input OrderFilter { status: Status }
`;

describe('buildGraphqlModel', () => {
  const model = buildGraphqlModel(sdl);

  it('lists root types first, then types by kind and name, without built-ins', () => {
    expect(model.types.map((t) => [t.name, t.kind, t.root ?? ''])).toEqual([
      ['Query', 'object', 'query'],
      ['Mutation', 'object', 'mutation'],
      ['Order', 'object', ''],
      ['Node', 'interface', ''],
      ['SearchResult', 'union', ''],
      ['Status', 'enum', ''],
      ['OrderFilter', 'input', ''],
      ['Date', 'scalar', ''],
    ]);
  });

  it('describes fields with their arguments, printed types and named types', () => {
    const query = typeView(model, 'Query')!;
    expect(query.fields[0]).toEqual({
      name: 'order',
      type: 'Order',
      typeName: 'Order',
      description: 'One order.',
      args: [
        { name: 'id', type: 'ID!', typeName: 'ID' },
        { name: 'includeLines', type: 'Boolean', typeName: 'Boolean', defaultValue: 'false' },
      ],
    });
    expect(query.fields[1]).toMatchObject({ type: '[Order!]!', typeName: 'Order' });
  });

  it('shows interfaces, implementations, enum values and deprecations', () => {
    expect(typeView(model, 'Order')).toMatchObject({ interfaces: ['Node'] });
    expect(typeView(model, 'Order')!.fields.find((f) => f.name === 'legacyRef')?.deprecationReason).toBe('Use id.');
    expect(typeView(model, 'Node')!.possibleTypes).toEqual(['Order']);
    expect(typeView(model, 'Status')!.enumValues).toEqual([{ name: 'OPEN' }, { name: 'SHIPPED', description: 'Left the warehouse.' }]);
    expect(typeView(model, 'OrderFilter')!.fields).toEqual([{ name: 'status', type: 'Status', typeName: 'Status', args: [] }]);
    expect(typeView(model, 'Nope')).toBeUndefined();
  });

  it('reports SDL errors', () => {
    expect(() => buildGraphqlModel('type Query { broken: }')).toThrow(/Syntax Error/);
  });
});
