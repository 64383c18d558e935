#!/usr/bin/env node
// Permission decisions in process: µs per authorize() and the time of a batched UI check of 50
// (authorizeMany). Targets (issue 15): < 50 µs per decision, a batch of 50 < 5 ms.
//
//   node --conditions=source --import tsx bench/permissions.mjs [--n 200000] [--rules 200]
//
// The policy is the shipped production one plus `--rules` filler rules for other permissions
// (so a decision's cost shows it only walks the rules naming its permission). Entities come from
// an in-memory map standing in for the catalog's lookup, so the figures are the engine's alone.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { definePermission } from '@atrium/backend-plugin-api';
import { loadConfig } from '../packages/backend/src/config/loadConfig.ts';
import { defaultPlugins } from '../packages/backend/src/plugins.ts';
import { PermissionCatalogue } from '../packages/backend/src/permissions/catalogue.ts';
import { PolicyEvaluator } from '../packages/backend/src/permissions/evaluator.ts';
import { createPolicyPermissions } from '../packages/backend/src/permissions/policyPermissions.ts';

const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '200000' }, rules: { type: 'string', default: '200' } } });
const N = Number(opt.n);
const repoRoot = path.resolve(import.meta.dirname, '..');

const filler = Array.from({ length: Number(opt.rules) }, (_, i) => definePermission({ name: `filler.thing${i}.read`, action: 'read', description: 'filler' }));
const catalogue = PermissionCatalogue.fromPlugins([...defaultPlugins, { id: 'filler', permissions: filler, setup() {} }]);
const config = loadConfig({ rootDir: repoRoot, configFiles: [path.join(repoRoot, 'app-config.production.yaml')], env: { POSTGRES_HOST: 'x', POSTGRES_USER: 'x' } });
const shipped = config.get('permission.policy');
const policy = { ...shipped, rules: [...filler.map((p) => ({ effect: 'allow', permissions: [p.name], subjects: ['group:default/other'] })), ...shipped.rules] };
const evaluator = new PolicyEvaluator(policy, catalogue);

const entities = new Map();
for (let i = 0; i < 1000; i++) {
  entities.set(`component:default/svc-${i}`, {
    kind: 'Component',
    metadata: { name: `svc-${i}`, namespace: 'default', tags: ['java'] },
    spec: { type: 'service', lifecycle: 'production', owner: `team-${i % 20}` },
    relations: [{ type: 'ownedBy', targetRef: `group:default/team-${i % 20}` }],
  });
}
const permissions = createPolicyPermissions({ evaluator, findEntities: async (refs) => refs.map((ref) => entities.get(ref)), audit: { record() {} } });
const caller = { type: 'user', userEntityRef: 'user:default/jdoe', ownershipEntityRefs: ['user:default/jdoe', 'group:default/team-3', 'group:default/org'], displayName: 'jdoe' };
const requests = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? { permission: 'scorecards.read' } : { permission: i % 2 ? 'catalog.entity.delete' : 'catalog.entity.refresh', resourceRef: `component:default/svc-${i * 7}` }));

async function perDecision(label, makeRequest) {
  for (let i = 0; i < 20_000; i++) await permissions.authorize(caller, makeRequest(i)); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await permissions.authorize(caller, makeRequest(i));
  const us = ((performance.now() - t0) * 1000) / N;
  console.log(`${label.padEnd(58)} ${us.toFixed(2)} µs/decision`);
}

console.log(`policy: ${policy.rules.length} rules, catalogue: ${catalogue.list().length} permissions, ${N} decisions per line`);
await perDecision('unconditional (catalog.entity.read)', () => ({ permission: 'catalog.entity.read' }));
await perDecision('conditional, entity looked up by ref (catalog.entity.delete)', (i) => ({ permission: 'catalog.entity.delete', resourceRef: `component:default/svc-${i % 1000}` }));
await perDecision('conditional, entity given (catalog.entity.delete)', (i) => ({ permission: 'catalog.entity.delete', resource: entities.get(`component:default/svc-${i % 1000}`) }));
await perDecision('no rule allows (audit.log.read)', () => ({ permission: 'audit.log.read' }));

const runs = [];
for (let r = 0; r < 2000; r++) {
  const t0 = performance.now();
  await permissions.authorizeMany(caller, requests);
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
console.log(`${'batch of 50 (authorizeMany), 2000 runs'.padEnd(58)} median ${runs[1000].toFixed(3)} ms, p99 ${runs[1980].toFixed(3)} ms`);
