import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One Terraform working dir (with its state) per stack under the data dir. */
export class StackWorkspace {
  readonly dataDir: string;
  readonly stack: string;
  readonly dir: string;
  readonly plansDir: string;
  /** Where Forge records the apply it runs here (running-apply.ts). */
  readonly runningApplyFile: string;
  /** Says `terraform init` ran here when it left no `.terraform` (see isInitialised). */
  private readonly initMarkerFile: string;

  constructor(dataDir: string, stack: string) {
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(stack)) throw new Error(`invalid stack name ${stack}`);
    this.dataDir = dataDir;
    this.stack = stack;
    this.dir = join(dataDir, 'stacks', stack);
    this.plansDir = join(this.dir, 'plans');
    this.runningApplyFile = join(this.dir, '.crew-running-apply.json');
    this.initMarkerFile = join(this.dir, '.crew-terraform-init');
  }

  planFile(name: string): string {
    return join(this.plansDir, `${name}.tfplan`);
  }

  planJsonFile(name: string): string {
    return join(this.plansDir, `${name}.plan.json`);
  }

  /**
   * Whether `terraform init` ran here. Another worker may apply a plan made elsewhere (a shared
   * state backend): its workspace is initialised first. A config with nothing to install (no
   * provider, module or backend to set up, as on the sandbox) leaves no `.terraform` behind:
   * the marker `recordInit` writes then says init ran.
   */
  isInitialised(): boolean {
    return existsSync(join(this.dir, '.terraform')) || existsSync(this.initMarkerFile);
  }

  /**
   * After a successful `terraform init`: when it left no `.terraform` (nothing to install),
   * a marker says it ran; otherwise `.terraform` says so itself and any older marker goes.
   */
  async recordInit(): Promise<void> {
    if (existsSync(join(this.dir, '.terraform'))) await this.forgetInit();
    else await writeFile(this.initMarkerFile, '');
  }

  /** Before an init: until it succeeds, only `.terraform` (if any) says init ran here. */
  async forgetInit(): Promise<void> {
    await rm(this.initMarkerFile, { force: true });
  }

  /**
   * Copies a Terraform module into the workspace (`modules/<name>`, replacing an older copy), so
   * the root config and the plan file refer to it as `./modules/<name>` on every host.
   */
  async writeModule(name: string, from: string): Promise<string> {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`invalid module name ${name}`);
    const to = join(this.dir, 'modules', name);
    await rm(to, { recursive: true, force: true });
    await cp(from, to, { recursive: true });
    return `./modules/${name}`;
  }

  /** The root configuration written here (the `.tf` and `.tf.json` files), by file name. */
  async readConfig(): Promise<Record<string, string>> {
    const files: Record<string, string> = {};
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const f of names.sort()) {
      if (f.endsWith('.tf.json') || f.endsWith('.tf')) files[f] = await readFile(join(this.dir, f), 'utf8');
    }
    return files;
  }

  /** Replaces the rendered configuration, leaving state, lock file and plans alone. */
  async writeConfig(files: Record<string, string>): Promise<void> {
    await mkdir(this.plansDir, { recursive: true });
    for (const f of await readdir(this.dir)) {
      if (f.endsWith('.tf.json') || f.endsWith('.tf')) await rm(join(this.dir, f));
    }
    for (const [name, text] of Object.entries(files)) {
      if (name.includes('/') || name.includes('..')) throw new Error(`refusing to write ${name} outside the workspace`);
      await writeFile(join(this.dir, name), text);
    }
  }
}
