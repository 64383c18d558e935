import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SLAPD_PATH = '/usr/sbin/slapd';

/** Whether a real OpenLDAP server can be started here (Debian's `slapd` and `ldap-utils`). */
export function slapdAvailable(): boolean {
  return fs.existsSync(SLAPD_PATH) && fs.existsSync('/usr/bin/ldapadd') && fs.existsSync('/etc/ldap/schema/core.schema');
}

/** Why LDAP tests skip, for `describe.skipIf(!slapdAvailable())` messages. */
export const SLAPD_SKIP_REASON = `LDAP tests need OpenLDAP (${SLAPD_PATH} and ldap-utils; .ci/run installs them with apt-get install slapd ldap-utils): skipped`;

export interface TestSlapd {
  /** `ldap://127.0.0.1:<port>` */
  url: string;
  suffix: string;
  /** The root DN and its password (the directory's administrator). */
  bindDn: string;
  bindPassword: string;
  /** Adds entries (LDIF with `dn:` and attributes) through the running server, so overlays run. */
  add(ldif: string): Promise<void>;
  /** Applies an LDIF change (`changetype: modify` / `delete`, ...). */
  modify(ldif: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a real OpenLDAP `slapd` for a test: a generated `slapd.conf` in a temp directory (core,
 * cosine, inetOrgPerson and NIS schemas; an MDB database under `suffix`; the `memberof` overlay,
 * so users get `memberOf` when added to a `groupOfNames`), listening on a random loopback port,
 * run in the foreground as a child of the test (no privileged port, no system service). The
 * base entry is created; `ldif` is then added through the server.
 */
export async function startSlapd(options: { suffix?: string; ldif?: string; bindPassword?: string } = {}): Promise<TestSlapd> {
  if (!slapdAvailable()) throw new Error(SLAPD_SKIP_REASON);
  const suffix = options.suffix ?? 'dc=example,dc=org';
  const bindDn = `cn=admin,${suffix}`;
  const bindPassword = options.bindPassword ?? 'admin-secret';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-slapd-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      `argsfile ${path.join(dir, 'slapd.args')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload memberof',
      'database mdb',
      `suffix "${suffix}"`,
      `rootdn "${bindDn}"`,
      `rootpw ${bindPassword}`,
      `directory ${dataDir}`,
      'maxsize 104857600',
      'overlay memberof',
      'memberof-group-oc groupOfNames',
      'memberof-member-ad member',
      'memberof-memberof-ad memberOf',
      'memberof-refint true',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let url = '';
  let port = 0;
  const stderr: string[] = [];
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    url = `ldap://127.0.0.1:${port}`;
    const c = spawn(SLAPD_PATH, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const exited = new Promise<boolean>((resolve) => c.once('exit', () => resolve(true)));
    const deadline = Date.now() + 10_000;
    let up = false;
    while (Date.now() < deadline) {
      if (await canConnect(port)) {
        up = true;
        break;
      }
      const done = await Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), 50))]);
      if (done) break;
    }
    if (up) child = c;
    else c.kill('SIGKILL');
  }
  if (!child) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapd did not start: ${stderr.join('').slice(-2000)}`);
  }
  const ldap = async (tool: string, ldif: string) => {
    const file = path.join(dir, `change-${Date.now()}-${Math.random().toString(36).slice(2)}.ldif`);
    fs.writeFileSync(file, ldif);
    try {
      await run(tool, ['-x', '-H', url, '-D', bindDn, '-w', bindPassword, '-f', file]);
    } catch (e) {
      throw new Error(`${tool} failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
  };
  const rdn = suffix.split(',')[0]!.split('=');
  await ldap('/usr/bin/ldapadd', `dn: ${suffix}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\no: test\n${rdn[0]}: ${rdn[1]}\n`);
  if (options.ldif) await ldap('/usr/bin/ldapadd', options.ldif);
  const proc = child;
  return {
    url,
    suffix,
    bindDn,
    bindPassword,
    add: (ldif) => ldap('/usr/bin/ldapadd', ldif),
    modify: (ldif) => ldap('/usr/bin/ldapmodify', ldif),
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
