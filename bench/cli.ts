import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliMain, median, seconds } from './bench-util.js';
import type { CrewProcessTrace } from './trace-crew-process.js';

const TRACER = join(dirname(fileURLToPath(import.meta.url)), 'trace-crew-process.js');

/** Where a traced `crew plan`'s time went, in ms: each segment from the process's start to its exit. */
function segments(t: CrewProcessTrace): Record<string, number> {
  const tf = t.terraform.filter((p) => p.end !== undefined) as Array<{ start: number; end: number }>;
  if (t.firstConnect === undefined || t.firstStdout === undefined || tf.length === 0)
    throw new Error(`the traced crew plan missed a step: ${JSON.stringify(t)}`);
  const first = Math.min(...tf.map((p) => p.start));
  const last = Math.max(...tf.map((p) => p.end));
  const lives = tf.reduce((sum, p) => sum + (p.end - p.start), 0);
  return {
    connect: t.firstConnect,
    toTerraform: first - t.firstConnect,
    terraform: lives,
    between: last - first - lives,
    toPrinted: t.firstStdout - last,
    toExit: t.exit - t.firstStdout,
  };
}

/** Runs a command to its exit; resolves with the wall time in ms (rejects on a non-zero exit not in `ok`). */
export function timed(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; ok?: number[]; onOutput?: (ms: number) => void } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let told = false;
    child.stdout.on('data', () => {
      if (!told) opts.onOutput?.(performance.now() - t0);
      told = true;
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if ((opts.ok ?? [0]).includes(code ?? -1)) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-500)}`));
    });
  });
}

/**
 * What a person waits for at a terminal: `crew status --json` next to `node -e 0`, and
 * `crew plan` on the sandbox (a new stack each time) until it awaits approval, next to bare
 * terraform init → plan -out → show -json of the same configuration in a fresh directory.
 */
export async function benchCli(redisUrl: string, runs = Number(process.env.CREW_BENCH_CLI_RUNS ?? 5)): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crew-bench-cli-'));
  const env = { ...process.env, REDIS_URL: redisUrl, CREW_DATA_DIR: dataDir, CREW_LOG_LEVEL: 'warn' };
  const main = cliMain();
  try {
    const node: number[] = [];
    const status: number[] = [];
    const plan: number[] = [];
    const bare: number[] = [];
    const afterRest: number[] = [];
    // A first plan so the status has something to list and the caches are warm.
    await timed('node', [main, 'plan', 'private Ollama on spot g4dn.xlarge, stack warm', '--as', 'alice', '--json'], {
      env,
    });
    for (let i = 0; i < runs; i++) {
      node.push(await timed('node', ['-e', '0']));
      status.push(await timed('node', [main, 'status', '--json'], { env }));
      const stack = `cli-${i}`;
      let rested = NaN;
      const total = await timed(
        'node',
        [main, 'plan', `private Ollama on spot g4dn.xlarge, stack ${stack}`, '--as', 'alice', '--json'],
        { env, onOutput: (ms) => (rested = ms) },
      );
      plan.push(total);
      // The plan printed once it rests: what follows is shutting down.
      afterRest.push(total - rested);
      // The same configuration, in a fresh directory, by terraform alone.
      const fresh = mkdtempSync(join(tmpdir(), 'crew-bench-tf-'));
      const config = readdirSync(join(dataDir, 'stacks', stack)).filter((f) => f.endsWith('.tf.json'));
      for (const f of config) copyFileSync(join(dataDir, 'stacks', stack, f), join(fresh, f));
      const tf = (args: string[], ok?: number[]) => timed('terraform', args, { cwd: fresh, ...(ok ? { ok } : {}) });
      bare.push(
        (await tf(['init', '-input=false', '-no-color'])) +
          (await tf(['plan', '-input=false', '-no-color', '-detailed-exitcode', '-out=p.tfplan'], [0, 2])) +
          (await tf(['show', '-json', '-no-color', 'p.tfplan'])),
      );
      rmSync(fresh, { recursive: true, force: true });
    }
    // The same command traced (a preloaded module notes its first connection, each Terraform
    // process and its first output), apart from the runs above so they stay untouched.
    const traced: Array<Record<string, number>> = [];
    for (let i = 0; i < runs; i++) {
      const file = join(dataDir, `trace-${i}.json`);
      await timed(
        'node',
        [main, 'plan', `private Ollama on spot g4dn.xlarge, stack cli-traced-${i}`, '--as', 'alice', '--json'],
        { env: { ...env, NODE_OPTIONS: `--import=${TRACER}`, CREW_BENCH_TRACE: file } },
      );
      traced.push(segments(JSON.parse(readFileSync(file, 'utf8')) as CrewProcessTrace));
    }
    const seg = (k: string) => seconds(median(traced.map((t) => t[k] as number)));
    const [n, s, p, b, a] = [node, status, plan, bare, afterRest].map(median) as [
      number,
      number,
      number,
      number,
      number,
    ];
    return [
      `cli: median of ${runs} runs each`,
      `  crew status --json                         ${seconds(s)}   node -e 0: ${seconds(n)}   ratio ${(s / n).toFixed(1)}×`,
      `  crew plan (sandbox, new stack) → WAIT_FOR_APPROVE ${seconds(p)}   bare terraform init+plan+show: ${seconds(b)}   +${seconds(p - b)} (ratio ${(p / b).toFixed(1)}×)`,
      `    of which: from the plan printed (rested) to the process's exit ${seconds(a)}`,
      `    where its time goes (${runs} more runs, traced; medians): to the first connection ${seg('connect')} (node -e 0: ${seconds(n)}), → terraform init ${seg('toTerraform')},`,
      `      terraform's three processes ${seg('terraform')} and between them ${seg('between')}, show's exit → plan printed ${seg('toPrinted')}, → exit ${seg('toExit')}`,
    ].join('\n');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
