import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** What `brightrun login` saves. */
export interface SavedConfig {
  apiKey?: string;
  baseUrl?: string;
}

/** $BRIGHTRUN_CONFIG, else $XDG_CONFIG_HOME/brightrun/config.json, else ~/.config/brightrun/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BRIGHTRUN_CONFIG) return env.BRIGHTRUN_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'brightrun', 'config.json');
}

export async function readConfig(file = configPath()): Promise<SavedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as SavedConfig;
    return { apiKey: typeof parsed.apiKey === 'string' ? parsed.apiKey : undefined, baseUrl: typeof parsed.baseUrl === 'string' ? parsed.baseUrl : undefined } as SavedConfig;
  } catch {
    throw new Error(`${file} is not valid JSON: fix it or run \`brightrun login\` again`);
  }
}

/** Writes the file readable by its owner only (it holds an API key). */
export async function writeConfig(config: SavedConfig, file = configPath()): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** `brk_a1B2…` → `brk_a1B2…(44 chars)`: enough to tell keys apart, never the secret. */
export function maskKey(key: string | undefined): string | null {
  if (!key) return null;
  return `${key.slice(0, 8)}…(${key.length} chars)`;
}
