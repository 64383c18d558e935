import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port that was free a moment ago, so a test backend's baseUrl can name its own address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, content);
  }
}

export function createBareRepo(dir: string): string {
  execFileSync('git', ['init', '--bare', '--quiet', dir]);
  return `file://${dir}`;
}

export async function tempRoot(): Promise<string> {
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-scaffolder-test-')));
}

const service = (name: string, steps: string, extra = '') => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: ${name}
  title: ${name}
  tags: [test]
spec:
  type: service
  owner: group:default/team-a
${extra}  parameters:
    - title: Basics
      required: [name]
      properties:
        name: { type: string, pattern: '^[a-z0-9-]+$' }
        owner: { type: string, ui:field: OwnerPicker }
        remote: { type: string }
  steps:
${steps}`;

/** Templates and skeletons the integration tests register through one catalog location. */
export function fixtureFiles(): Record<string, string> {
  return {
    'catalog.yaml': `apiVersion: backstage.io/v1alpha1
kind: Location
metadata: { name: scaffolder-fixtures }
spec:
  targets: [./templates.yaml, ./org.yaml]
`,
    'org.yaml': `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: approvers }
spec: { type: team, children: [], members: [guest] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: guest }
spec: { memberOf: [approvers] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: existing-svc }
spec: { type: service, lifecycle: production, owner: group:default/team-a }
`,
    'templates.yaml': [
      service(
        'full-run',
        `    - id: fetch
      name: Fetch skeleton
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: \${{ parameters.name }}
          owner: \${{ parameters.owner }}
        copyWithoutTemplating: ['raw/**']
    - id: rename
      action: fs:rename
      input: { files: [{ from: notes.txt, to: docs/notes.md }] }
    - id: remove
      action: fs:delete
      input: { files: ['tmp-*'] }
    - id: log
      action: debug:log
      input: { message: 'secret is \${{ secrets.token }}', listWorkspace: true }
    - id: skipped
      if: \${{ parameters.name == 'nope' }}
      action: debug:log
      input: { message: never }
    - id: loop
      each: ['a', 'b']
      action: debug:log
      input: { message: 'item \${{ each.value }}' }
    - id: publish
      action: publish:git
      input:
        repoUrl: \${{ parameters.remote }}
        defaultBranch: main
        gitCommitMessage: 'Create \${{ parameters.name }}'
    - id: register
      action: catalog:register
      input:
        repoContentsUrl: \${{ steps.publish.output.repoContentsUrl }}
        catalogInfoPath: /catalog-info.yaml
    - id: notify
      action: notification:send
      input: { recipients: entity, entityRefs: ['user:default/guest'], title: 'Created \${{ parameters.name }}' }
  output:
    links:
      - title: Repository
        url: \${{ steps.publish.output.remoteUrl }}
      - title: Open in catalog
        entityRef: \${{ steps.register.output.entityRef }}
      - title: Hidden
        if: \${{ false }}
        url: http://x
    text:
      - title: Done
        content: Created **\${{ parameters.name }}**
    commit: \${{ steps.publish.output.commitHash }}
`,
      ),
      service('unknown-action', `    - id: first\n      action: debug:log\n      input: { message: hi }\n    - id: bad\n      action: acme:does-not-exist\n`),
      service('bad-input', `    - id: rename\n      action: fs:rename\n      input: { files: [{ from: 1 }] }\n`),
      service('escape', `    - id: evil\n      action: debug:log\n      input: { message: "\${{ ''.constructor.constructor('return process')().pid }}" }\n`),
      service('wait', `    - id: wait\n      action: debug:wait\n      input: { minutes: 5 }\n`),
      service('noisy', `    - id: noisy\n      each: \${{ range(0, 300) }}\n      action: debug:log\n      input: { message: 'line \${{ each.value }}' }\n`),
      service('symlink', `    - id: fetch\n      action: fetch:plain\n      input: { url: ./evil-skeleton }\n`),
      service('outside', `    - id: fetch\n      action: fetch:plain\n      input: { url: ../../../etc }\n`),
      service(
        'push-refused',
        `    - id: fetch\n      action: fetch:plain\n      input: { url: ./skeleton }\n    - id: publish\n      action: publish:git\n      input: { repoUrl: '\${{ parameters.remote }}' }\n`,
      ),
      service(
        'approval',
        `    - id: log\n      action: debug:log\n      input: { message: approved run }\n`,
        '  approval:\n    groups: [group:default/approvers]\n',
      ),
      service('approval-others', `    - id: log\n      action: debug:log\n      input: { message: x }\n`, '  approval:\n    groups: [group:default/team-a]\n'),
      service(
        'approval-self',
        `    - id: log\n      action: debug:log\n      input: { message: self-approved run }\n`,
        '  approval:\n    approvers: [user:default/guest]\n    allowSelfApproval: true\n',
      ),
      service(
        'approval-requester',
        `    - id: log\n      action: debug:log\n      input: { message: x }\n`,
        '  approval:\n    approvers: [user:default/guest]\n',
      ),
      service('saas', `    - id: publish\n      action: publish:github\n      input: { repoUrl: 'github.com?owner=o&repo=r' }\n`),
      `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: day2, title: Day-2 restart }
spec:
  type: operation
  entityFilter: { kind: Component, spec.type: service }
  parameters:
    - properties:
        entity: { type: string, ui:field: EntityPicker }
  steps:
    - id: fetch
      action: catalog:fetch
      input: { entityRef: '\${{ parameters.entity }}' }
    - id: log
      action: debug:log
      input: { message: 'owner \${{ steps.fetch.output.entity.spec.owner }}' }
`,
    ].join('---\n'),
    'skeleton/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: \${{ values.name }}
spec:
  type: service
  lifecycle: experimental
  owner: \${{ values.owner }}
`,
    'skeleton/${{ values.name }}/index.js': "console.log('${{ values.name }}');\n",
    'skeleton/raw/keep.txt': 'left as is: ${{ values.name }}\n',
    'skeleton/notes.txt': 'notes for ${{ values.name }}\n',
    'skeleton/tmp-delete-me.txt': 'x\n',
    'evil-skeleton/ok.txt': 'fine\n',
  };
}
