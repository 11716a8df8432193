import { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as ChildProcessModule from 'node:child_process';
import type * as NetModule from 'node:net';

// Preloaded into a `crew` process by the cli bench (NODE_OPTIONS=--import=…): at exit it writes
// to CREW_BENCH_TRACE when, in ms since the process started, it opened its first connection,
// each terraform process started and ended, and it first wrote to stdout.

export interface CrewProcessTrace {
  firstConnect?: number;
  terraform: Array<{ command: string; start: number; end?: number }>;
  firstStdout?: number;
  exit: number;
}

const out = process.env.CREW_BENCH_TRACE;
if (out) {
  const require = createRequire(import.meta.url);
  const trace: CrewProcessTrace = { terraform: [], exit: NaN };
  const cp = require('node:child_process') as typeof ChildProcessModule;
  const spawn = cp.spawn;
  // The bundle imports spawn by name: the patched export reaches it once synced.
  (cp as { spawn: unknown }).spawn = function (this: unknown, ...args: Parameters<typeof spawn>) {
    const start = performance.now();
    const child = (spawn as (...a: unknown[]) => ReturnType<typeof spawn>).apply(this, args);
    const [bin, argv] = args as unknown as [string, string[] | undefined];
    if (/terraform/.test(String(bin))) {
      const entry: CrewProcessTrace['terraform'][number] = { command: String(argv?.[0] ?? ''), start };
      trace.terraform.push(entry);
      child.once('exit', () => (entry.end = performance.now()));
    }
    return child;
  };
  syncBuiltinESMExports();
  const net = require('node:net') as typeof NetModule;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: NetModule.Socket, ...args: unknown[]) {
    trace.firstConnect ??= performance.now();
    return (connect as (...a: unknown[]) => NetModule.Socket).apply(this, args);
  } as typeof connect;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((...args: Parameters<typeof write>) => {
    trace.firstStdout ??= performance.now();
    return write(...args);
  }) as typeof process.stdout.write;
  process.on('exit', () => {
    trace.exit = performance.now();
    writeFileSync(out, JSON.stringify(trace));
  });
}
