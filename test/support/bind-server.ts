import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort } from './redis-server.js';

/** A private BIND for one test file: its own port, dir, TSIG key and zone `local`. */
export interface TestBind {
  host: string;
  port: number;
  dir: string;
  zone: string;
  tsig: { name: string; algorithm: string; secret: string };
  /** Env for the crew CLI pointing the dns target at this server. */
  env: Record<string, string>;
  /** Runs `dig @127.0.0.1 -p PORT <args>` and returns its output. */
  dig(args: string[]): Promise<string>;
  /** The status in the answer header (NOERROR, NXDOMAIN, ...). */
  status(name: string, type: string): Promise<string>;
  /** Sends `update ...` lines for zone local straight to the server (a change behind Forge's back). */
  nsupdate(updates: string[]): Promise<void>;
  stop(): Promise<void>;
}

const BINARIES: Record<string, string> = {
  named: 'bind9',
  dig: 'bind9-dnsutils',
  nsupdate: 'bind9-dnsutils',
  'ansible-playbook': 'ansible-core',
};

/** Where a binary is (PATH, then /usr/sbin, where Debian puts named); fails naming the package. */
export function requireDebianBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin', '/sbin'];
  const found = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `${name} not found on PATH or in /usr/sbin: install the Debian package ${BINARIES[name] ?? name} (apt-get install ${BINARIES[name] ?? name})`,
    );
  return found;
}

function namedConf(dir: string, port: number, secret: string): string {
  return `options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  lock-file "${dir}/named.lock";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
};
controls { };
key "crew-test" {
  algorithm hmac-sha256;
  secret "${secret}";
};
zone "local" {
  type primary;
  file "${dir}/local.zone";
  allow-update { key crew-test; };
};
`;
}

const ZONE = `$TTL 300
@   IN SOA ns.local. hostmaster.local. ( 1 3600 600 86400 300 )
@   IN NS  ns.local.
ns  IN A   127.0.0.1
`;

export async function startBind(): Promise<TestBind> {
  const named = requireDebianBinary('named');
  requireDebianBinary('dig');
  requireDebianBinary('nsupdate');
  const dir = mkdtempSync(join(tmpdir(), 'crew-bind-'));
  const port = await freePort();
  const secret = randomBytes(32).toString('base64');
  const conf = join(dir, 'named.conf');
  writeFileSync(conf, namedConf(dir, port, secret));
  writeFileSync(join(dir, 'local.zone'), ZONE);
  const keyFile = join(dir, 'crew-test.key');
  writeFileSync(keyFile, `key "crew-test" {\n  algorithm hmac-sha256;\n  secret "${secret}";\n};\n`, { mode: 0o600 });
  const logFd = openSync(join(dir, 'named.log'), 'a');
  // -g: foreground, log to stderr. As root it runs without -u here; no system files are read.
  const proc: ChildProcess = spawn(named, ['-g', '-n', '1', '-c', conf, '-p', String(port)], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const dig = async (args: string[]) =>
    String(
      (await execa('dig', [`@127.0.0.1`, '-p', String(port), '+time=1', '+tries=1', ...args], { reject: false }))
        .stdout,
    );
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const hard = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(hard);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (/\bSOA\b|hostmaster/.test(await dig(['local', 'SOA', '+short']))) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      const log = readFileSync(join(dir, 'named.log'), 'utf8');
      await stop();
      throw new Error(`named did not answer on 127.0.0.1:${port}:\n${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const tsig = { name: 'crew-test', algorithm: 'hmac-sha256', secret };
  return {
    host: '127.0.0.1',
    port,
    dir,
    zone: 'local',
    tsig,
    env: {
      CREW_DNS_SERVER: `127.0.0.1:${port}`,
      CREW_DNS_TSIG_NAME: tsig.name,
      CREW_DNS_TSIG_ALGORITHM: tsig.algorithm,
      CREW_DNS_TSIG_SECRET: secret,
    },
    dig,
    status: async (name, type) => /status: ([A-Z]+)/.exec(await dig([name, type]))?.[1] ?? 'NO ANSWER',
    nsupdate: async (updates) => {
      const input = [`server 127.0.0.1 ${port}`, 'zone local.', ...updates, 'send', ''].join('\n');
      const r = await execa('nsupdate', ['-k', keyFile, '-t', '5'], { input, reject: false });
      if (r.exitCode !== 0) throw new Error(`nsupdate failed: ${String(r.stderr)}`);
    },
    stop,
  };
}
