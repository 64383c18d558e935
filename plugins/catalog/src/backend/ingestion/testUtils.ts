export { git, removeTempDirs, tempDir, writeTree } from '@atrium/source-readers/testing';

export function component(name: string, extra = ''): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-a
${extra}${extra && !extra.endsWith('\n') ? '\n' : ''}`;
}
