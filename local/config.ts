import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** kumo.local.json: what differs when the template runs locally (like samconfig + `--env-vars`). */
export interface LocalConfig {
  parameterOverrides: Record<string, string>;
  /** Extra environment per function logical id, SAM `--env-vars` style. */
  envVars: Record<string, Record<string, string>>;
}

/** Reads kumo.local.json from the root (absent file = no overrides) and fills in `${web}`/`${api}`. */
export async function readLocalConfig(rootDir: string, urls: Record<string, string>): Promise<LocalConfig> {
  const file = path.join(rootDir, 'kumo.local.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { parameterOverrides: {}, envVars: {} };
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  const fill = (text: string) => text.replace(/\$\{(\w+)\}/g, (whole, key: string) => urls[key] ?? whole);
  const config = (raw ?? {}) as {
    parameterOverrides?: Record<string, unknown>;
    envVars?: Record<string, unknown>;
  };
  const parameterOverrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.parameterOverrides ?? {}))
    parameterOverrides[key] = fill(String(value));
  const envVars: Record<string, Record<string, string>> = {};
  for (const [fn, vars] of Object.entries(config.envVars ?? {})) {
    envVars[fn] = Object.fromEntries(
      Object.entries(vars as Record<string, unknown>).map(([k, v]) => [k, fill(String(v))]),
    );
  }
  return { parameterOverrides, envVars };
}
