import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, makeCrewEnv, type CrewEnv } from '../../support/crew-env.js';

// Secrets the crew holds (environment) and one a person pastes into a goal. None may show up
// in logs, command output, Redis (artifacts, records, history) or the data dir.
const CANARY_ENV = 'canary-env-secret-7f3k2q9x';
const CANARY_TOKEN = 'xoxb-123456789012-canarytokenzz';

let t: CrewEnv;
beforeAll(async () => {
  t = await makeCrewEnv({ AWS_SECRET_ACCESS_KEY: CANARY_ENV, SLACK_BOT_TOKEN: CANARY_TOKEN, CREW_LOG_LEVEL: 'debug' });
});
afterAll(async () => t.close());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    const st = statSync(p);
    if (st.isDirectory()) return f === '.terraform' ? [] : filesUnder(p);
    return st.size < 20_000_000 ? [p] : [];
  });
}

async function redisDump(): Promise<string> {
  const r = t.redis.client();
  const out: string[] = [];
  for (const key of await r.keys('*')) {
    const type = await r.type(key);
    if (type === 'string') out.push(String(await r.get(key)));
    else if (type === 'hash') out.push(JSON.stringify(await r.hgetall(key)));
    else if (type === 'list') out.push(JSON.stringify(await r.lrange(key, 0, -1)));
    else if (type === 'set') out.push(JSON.stringify(await r.smembers(key)));
    else if (type === 'zset') out.push(JSON.stringify(await r.zrange(key, 0, -1)));
    else if (type === 'stream') out.push(JSON.stringify(await r.xrange(key, '-', '+')));
  }
  return out.join('\n');
}

describe('canary secrets across the whole flow', () => {
  it('never appear in output, logs, Redis or files', async () => {
    const planned = await t.crew([
      'plan',
      `private Ollama on spot g4dn.xlarge, stack canary, my token is ${CANARY_TOKEN}`,
      '--as',
      'alice',
      '--json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    const id = jsonOf<{ id: string }>(planned).id;
    const approved = await t.crew(['approve', id, '--as', 'bob']);
    const rolled = await t.crew(['rollback', id, '--as', 'alice']);
    const history = await t.crew(['history', id]);
    expect(approved.code).toBe(0);
    expect(rolled.code).toBe(0);
    const outputs = [planned, approved, rolled, history].map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
    expect(outputs.length).toBeGreaterThan(1000); // debug logs were written: the check is not vacuous
    const places: Array<[string, string]> = [
      ['command output and logs', outputs],
      ['redis', await redisDump()],
    ];
    for (const f of filesUnder(t.dataDir)) places.push([f, readFileSync(f, 'latin1')]);
    for (const [where, text] of places) {
      expect(text.includes(CANARY_ENV), `${where} holds the environment canary`).toBe(false);
      expect(text.includes(CANARY_TOKEN), `${where} holds the pasted token`).toBe(false);
    }
    expect(outputs).toContain('[redacted]');
  });
});
