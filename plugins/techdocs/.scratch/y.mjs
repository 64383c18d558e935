import { load, CORE_SCHEMA, defineScalarTag, defineSequenceTag, defineMappingTag, NOT_RESOLVED } from 'js-yaml';
const src = `
site_name: x
a: !!python/name:mermaid2.fence_mermaid ''
b: !ENV [FOO, 'default']
c: !relative $config_dir
d: !!python/object/apply:foo {x: 1}
`;
const tags = [];
for (const prefix of ['tag:yaml.org,2002:python/', '!']) {
  tags.push(defineScalarTag(prefix, { matchByTagPrefix: true, resolve: (s, e, t) => ({ $tag: t, value: s }), identify: () => false }));
  tags.push(defineSequenceTag(prefix, { matchByTagPrefix: true, create: () => [], addItem: (c, i) => { c.push(i); }, identify: () => false }));
}
try { console.log(JSON.stringify(load(src, { schema: CORE_SCHEMA.withTags(...tags) }))); } catch (e) { console.log('ERR', e.message); }
