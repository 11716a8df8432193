import { join } from 'node:path';
import { execa } from 'execa';

// A change made behind the crew's back on the sandbox target: its terraform_data resources
// have no remote, so their state is the resource. `terraform state pull` → edit → `push`
// (serial + 1) is the sandbox's console click.

interface StateResource {
  type: string;
  name: string;
  instances: Array<{ attributes: { input?: { value: Record<string, unknown> } } }>;
}

/** Edits the sandbox `input` of `terraform_data.<sandboxName>` in the stack's state with the real terraform binary. */
export async function editSandboxState(
  dataDir: string,
  stack: string,
  sandboxName: string,
  edit: (input: Record<string, unknown>) => void,
  env: Record<string, string> = {},
): Promise<void> {
  const cwd = join(dataDir, 'stacks', stack);
  const pulled = await execa('terraform', ['state', 'pull'], { cwd, env });
  const state = JSON.parse(String(pulled.stdout)) as { serial: number; resources: StateResource[] };
  const r = state.resources.find((x) => x.type === 'terraform_data' && x.name === sandboxName);
  const input = r?.instances[0]?.attributes.input?.value;
  if (!input) throw new Error(`no terraform_data.${sandboxName} with an input in the state of ${stack}`);
  edit(input);
  state.serial += 1;
  await execa('terraform', ['state', 'push', '-'], { cwd, env, input: JSON.stringify(state) });
}
