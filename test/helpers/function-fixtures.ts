import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel, parseTemplateText, type TemplateModel } from '../../local/template/index.js';

/** The fixture template of test/fixtures/functions/ (handlers in its handlers/ folder). */
export const FUNCTIONS_TEMPLATE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'functions',
  'template.yaml',
);

/**
 * The model of the fixture template; `edit` may change the parsed template first (drop a Metadata,
 * point an EntryPoint elsewhere...), so each test states only what it varies.
 */
export async function functionsModel(
  edit?: (raw: { Resources: Record<string, Record<string, unknown>> }) => void,
): Promise<TemplateModel> {
  const raw = parseTemplateText(await readFile(FUNCTIONS_TEMPLATE, 'utf8')) as {
    Resources: Record<string, Record<string, unknown>>;
  };
  edit?.(raw);
  return buildModel(raw, FUNCTIONS_TEMPLATE);
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `kumo-${prefix}-`));
}
