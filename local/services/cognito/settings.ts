import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The `cognito` section of kumo.local.json. */
export interface CognitoSettings {
  /** Confirm every sign-up at once (no code to type), as a PreSignUp trigger with autoConfirmUser would. */
  autoConfirm: boolean;
}

/** Reads `cognito` from kumo.local.json in the project root; absent file or section = defaults. */
export async function readCognitoSettings(rootDir: string): Promise<CognitoSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(rootDir, 'kumo.local.json'), 'utf8'));
  } catch {
    // The orchestrator reports a missing or broken kumo.local.json; defaults here.
    return { autoConfirm: false };
  }
  const section = (raw as { cognito?: { autoConfirm?: unknown } } | null)?.cognito;
  return { autoConfirm: section?.autoConfirm === true };
}
