import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DnsRecordParams } from '../../contracts/index.js';
import { drawDiagram } from '../../src/agents/atlas/draw-diagram.js';
import { renderK3sInventory } from '../../src/agents/forge/k3s-inventory.js';
import { normalizeDnsRecord } from '../../src/agents/forge/normalize-dns-record.js';
import { renderAws } from '../../src/agents/forge/render-aws.js';
import { renderUserData } from '../../src/agents/forge/render-user-data.js';
import { toTerraformJson } from '../../src/agents/forge/sandbox-expr.js';
import { mermaidToDot } from '../../src/slack/mermaid-to-dot.js';
import { jinjaPayloads, shellPayloads, terraformPayloads } from '../support/evaluation-payloads.js';
import { awsSpec } from '../support/forge-specs.js';
import { REPO_ROOT } from '../support/paths.js';

// Pure places where a value from a person, the language model or a remote system meets a
// template engine or a shell: each refuses the payloads or keeps them literal.

const MARKER = '/tmp/crew-never-created';
const hostile = { ...jinjaPayloads(MARKER), ...shellPayloads(MARKER), ...terraformPayloads('/etc/passwd') };

describe('user data (the shell script every Ollama instance runs at boot)', () => {
  it('refuses a model that is anything but name[:tag], naming the problem', () => {
    for (const [label, model] of Object.entries(hostile)) {
      expect(() => renderUserData({ ollama_port: 11434, model }), label).toThrow(
        /is not a model name: use name\[:tag\]/,
      );
      expect(() => renderAws(awsSpec({ model })), label).toThrow(/is not a model name/);
    }
    expect(() => renderUserData({ ollama_port: 11434, model: 'llama3.1:8b\nrm -rf /' })).toThrow(/is not a model name/);
    expect(() => renderUserData({ ollama_port: Number('11434; reboot'), model: '' })).toThrow(/is not a port/);
  });

  it('writes a valid model only inside its double-quoted assignment', () => {
    const script = Buffer.from(
      renderUserData({ ollama_port: 11434, model: 'library/llama3.1:8b-q4_0' }),
      'base64',
    ).toString('utf8');
    expect(script.split('\n').filter((l) => l.includes('llama3.1'))).toEqual(['model="library/llama3.1:8b-q4_0"']);
  });
});

describe('Terraform JSON (root configs Forge writes)', () => {
  it('keeps ${ and %{ literal in values and in object keys, and expressions verbatim', () => {
    for (const payload of Object.values(terraformPayloads('/etc/passwd'))) {
      const json = JSON.stringify(
        toTerraformJson({ [payload]: payload, list: [payload], nested: { [payload]: [payload] } }),
      );
      expect(json.replaceAll('$${', '').replaceAll('%%{', '')).not.toMatch(/[$%]\{/);
    }
  });

  it('escapes every string the aws target passes to the module', () => {
    const [tf, directive] = Object.values(terraformPayloads('/etc/passwd'));
    const text =
      renderAws(awsSpec({ instanceTypes: [tf ?? ''], allowedCidrs: [directive ?? ''] })).files['main.tf.json'] ?? '';
    const unescaped = [...text.matchAll(/(?<![$%])[$%]\{[^}]*\}/g)].map((m) => m[0]);
    expect(
      unescaped.every((e) => /^\$\{module\.ollama\.[a-z_]+\}$/.test(e)),
      unescaped.join(' '),
    ).toBe(true);
    expect(text).toContain('$${file(\\"/etc/passwd\\")}');
  });
});

describe('record values (Forge normalisation, nsupdate input)', () => {
  const record = (value: string, type: DnsRecordParams['type'] = 'TXT') =>
    normalizeDnsRecord({ zone: 'local', name: 'x', type, value, ttl: 300, action: 'add' });

  it('refuses template markers with a message for the person, and keeps shell and Terraform text as text', () => {
    for (const [label, value] of Object.entries(jinjaPayloads(MARKER))) {
      expect(() => record(value), label).toThrow(/^the TXT value of x\.local contains "\{[{%#]": template markers/);
    }
    for (const value of [...Object.values(shellPayloads(MARKER)), ...Object.values(terraformPayloads('/etc/passwd'))])
      expect(record(value).value).toBe(value);
  });

  it('refuses a newline or any control character that would start another nsupdate command', () => {
    expect(() => record('ok\nupdate add evil.local. 300 IN A 10.6.6.6')).toThrow(/printable ASCII/);
    expect(() => record('10.0.0.1\n', 'A')).toThrow(/IPv4/);
    expect(() => record('host.local\rsend', 'CNAME')).toThrow(/host name/);
  });
});

describe('the plan diagram (Mermaid → DOT for Graphviz)', () => {
  it('carries a hostile value as one quoted label and adds no attribute', () => {
    const value = '"]; x [image="/etc/passwd" shapefile="/etc/shadow"]; y ["{{ z }}';
    const params: DnsRecordParams = { zone: 'local', name: 'x', type: 'TXT', value, ttl: 300, action: 'add' };
    const dot =
      mermaidToDot(
        drawDiagram({
          blueprint: 'dns-record',
          stack: 'dns-local',
          target: 'dns',
          params,
          monthlyUsd: null,
          brakeRatio: 0.8,
          notes: [],
        }),
      ) ?? '';
    const outsideStrings = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(outsideStrings).not.toMatch(/image|shapefile|href|passwd/);
    expect(dot.split('\n').filter((l) => l.includes('passwd'))).toEqual([
      expect.stringMatching(/^ {2}"val" \[label="[^"]*passwd[^"]*"\];$/),
    ]);
  });
});

describe('the k3s inventory (rendered from Terraform outputs, i.e. from Proxmox)', () => {
  it('refuses payloads in host names, addresses and the login name', () => {
    for (const [label, payload] of Object.entries(hostile)) {
      expect(() => renderK3sInventory({ server_ips: [payload] }), label).toThrow(/no IP address/);
      const inv = (all: Record<string, unknown>) => ({ ansible_inventory: { value: { all }, type: 'object' } });
      const servers = (hosts: Record<string, unknown>) => ({ children: { k3s_servers: { hosts } } });
      expect(() => renderK3sInventory(inv(servers({ [payload]: { ansible_host: '10.0.0.1' } }))), label).toThrow(
        /is not a host name/,
      );
      expect(
        () =>
          renderK3sInventory(
            inv({ ...servers({ s1: { ansible_host: '10.0.0.1' } }), vars: { ansible_user: payload } }),
          ),
        label,
      ).toThrow(/is not a login name/);
    }
  });
});

describe('subprocesses and Redis scripts', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const root = REPO_ROOT;
  const sources = Object.fromEntries(
    [...files(join(root, 'src')), ...files(join(root, 'handlers'))].map((f) => [
      f.slice(root.length + 1),
      readFileSync(f, 'utf8'),
    ]),
  );

  it('never run through a shell: two process starters with argument lists and no shell option', () => {
    const calling = Object.entries(sources)
      .filter(([, text]) => /\bexeca\(|\bspawn\(|from '(?:node:)?child_process'/.test(text))
      .map(([f]) => f)
      .sort();
    // Terraform and Ansible start detached through one helper (file descriptors, no pipe back);
    // the private redis-server starts through execa.
    expect(calling).toEqual(['src/agents/forge/run-detached-process.ts', 'src/runtime/connect-redis.ts']);
    expect(sources['src/agents/forge/run-detached-process.ts']).toMatch(/\bspawn\(o\.bin, o\.args, \{/);
    for (const [file, text] of Object.entries(sources)) {
      expect(text, file).not.toMatch(
        /\bshell\s*:|import \{[^}]*\b(?:\$|execaCommand\w*|execaSync|execaNode)\b[^}]*\} from 'execa'/,
      );
      if (file !== 'src/agents/forge/run-detached-process.ts')
        expect(text, file).not.toMatch(/from '(?:node:)?child_process'/);
    }
    expect(sources['src/agents/forge/run-detached-process.ts']).toMatch(
      /import \{ spawn, type ChildProcess \} from 'node:child_process'/,
    );
  });

  it('keep Lua scripts constant: data reaches them only as KEYS and ARGV', () => {
    // Every script is a file under src/redis/lua, compiled verbatim into src/redis/lua-scripts.ts
    // (test/unit/architecture/redis-layer.test.ts checks the copy and that no other place sends one).
    const luaDir = join(root, 'src', 'redis', 'lua');
    const scripts = readdirSync(luaDir)
      .filter((f) => f.endsWith('.lua'))
      .map((f) => [f, readFileSync(join(luaDir, f), 'utf8')] as const);
    expect(scripts.length).toBeGreaterThan(3);
    for (const [file, script] of scripts) {
      expect(script, file).not.toContain('${');
      // No code built at run time: no loadstring/load, and data never becomes a command name.
      expect(script, file).not.toMatch(/\b(?:loadstring|load|dofile|loadfile)\s*\(|redis\.p?call\(\s*(?:KEYS|ARGV)\[/);
    }
    const module = sources[join('src', 'redis', 'lua-scripts.ts')] ?? '';
    const defined = [...module.matchAll(/defineScript\("[a-z-]+", \d+, ("(?:[^"\\]|\\.)*")\);/g)].map(
      (m) => JSON.parse(m[1] ?? '""') as string,
    );
    expect(defined.sort()).toEqual(scripts.map(([, text]) => text).sort());
    // TypeScript carries no Lua of its own: KEYS[n] and ARGV[n] appear only in the compiled copy.
    const inline = Object.entries(sources)
      .filter(([, text]) => /\b(?:KEYS|ARGV)\[/.test(text))
      .map(([file]) => file);
    expect(inline).toEqual([join('src', 'redis', 'lua-scripts.ts')]);
  });
});
