import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What a running local cloud writes to `.kumo/endpoints.json`, and the CLI reads back. */
export interface CloudEndpoints {
  web?: string;
  api?: string;
  /** The local X API, when the template has the post pipeline (`${x}` in kumo.local.json). */
  x?: string;
  /** AWS endpoints by `AWS_ENDPOINT_URL_<SERVICE>` suffix in lower case (`dynamodb`, `sqs`...). */
  services: Record<string, string>;
  /** This run's token for the `/_kumo/*` routes (header `X-Kumo-Token`); the file is the user's only. */
  token?: string;
}

/** `.kumo/endpoints.json` of a data folder. */
export function endpointsFilePath(kumoDir: string): string {
  return path.join(kumoDir, 'endpoints.json');
}

/**
 * Writes the endpoints of the cloud starting from this data folder. The token lets whoever reads the
 * file use /_kumo: mode 0600, and chmod because an old file keeps its mode.
 */
export async function writeEndpointsFile(kumoDir: string, endpoints: CloudEndpoints): Promise<string> {
  const file = endpointsFilePath(kumoDir);
  await writeFile(file, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** Removes the file when the cloud stops (a stale one would send the CLI to ports nobody serves). */
export async function removeEndpointsFile(kumoDir: string): Promise<void> {
  await rm(endpointsFilePath(kumoDir), { force: true });
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The endpoints `.kumo/endpoints.json` names, checked field by field; undefined when the file is
 * missing, unreadable or not the shape a local cloud writes. Whether that cloud still runs is
 * local/cli/running-cloud.ts's question.
 */
export async function readEndpointsFile(kumoDir: string): Promise<CloudEndpoints | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(endpointsFilePath(kumoDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const file = raw as Record<string, unknown>;
  const services = file.services;
  if (typeof services !== 'object' || services === null || Array.isArray(services)) return undefined;
  const endpoints: CloudEndpoints = {
    services: Object.fromEntries(
      Object.entries(services).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ),
  };
  for (const key of ['web', 'api', 'x', 'token'] as const) {
    const value = optionalString(file[key]);
    if (value !== undefined) endpoints[key] = value;
  }
  return endpoints;
}
