import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DnsTsigKey } from '../../config/read-dns-settings.js';

export interface TsigKeyFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * Writes the key in named.conf form (what `dig -k` and `nsupdate -k` read) to a private temp
 * dir outside the stack workspace, so the secret never sits in argv, artifacts or the workspace.
 * The name, algorithm and secret were checked by readDnsTarget, so nothing can break the quoting.
 */
export async function writeTsigKeyFile(key: DnsTsigKey): Promise<TsigKeyFile> {
  const dir = await mkdtemp(join(tmpdir(), 'crew-tsig-'));
  const path = join(dir, 'tsig.key');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await writeFile(path, `key "${key.name}" {\n\talgorithm ${key.algorithm};\n\tsecret "${key.secret}";\n};\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (err) {
    await remove();
    throw err;
  }
  return { path, remove };
}
