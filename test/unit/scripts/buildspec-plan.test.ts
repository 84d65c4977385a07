import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashScript, planBuildspec } from '../../../scripts/buildspec-plan.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFile(path.join(root, file), 'utf8');

describe('buildspec.yml', () => {
  it('runs the steps of .ci/run: npm ci, lint, type check, tests, static checks, SAM checks', async () => {
    const plan = planBuildspec(await read('buildspec.yml'));
    const commands = plan.commands.map((c) => c.original);
    const order = [
      /^npm ci\b/,
      /^npm run lint$/,
      /^npm run typecheck$/,
      /^npx vitest run .*--reporter=junit/,
      /^bash scripts\/check-static\.sh$/,
      /^bash scripts\/check-sam\.sh$/,
      /sam package/,
    ].map((pattern) => commands.findIndex((c) => pattern.test(c)));
    expect(
      order.every((i) => i >= 0),
      JSON.stringify(commands),
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const ci = await read('.ci/run');
    expect(ci).toContain('npm test');
    expect(ci).toContain('scripts/check-static.sh');
    expect(ci).toContain('check:sam');
  });

  it('installs the SAM CLI version that scripts/check-sam.sh pins', async () => {
    const plan = planBuildspec(await read('buildspec.yml'));
    const install = plan.commands
      .filter((c) => c.phase === 'install')
      .map((c) => c.original)
      .join('\n');
    expect(install).toContain('scripts/check-sam.sh');
    expect(install).toContain(`aws-sam-cli==\${SAM_VERSION}`);
    expect(await read('scripts/check-sam.sh')).toMatch(/^SAM_VERSION="\d+\.\d+\.\d+"$/m);
  });

  it('runs on the functions Node.js major, reports JUnit and ships the packaged template', async () => {
    const plan = planBuildspec(await read('buildspec.yml'));
    const template = await read('template.yaml');
    expect(template).toContain(`Runtime: nodejs${plan.runtimeVersions.nodejs}.x`);
    expect(plan.reports).toEqual(['unit-tests']);
    // The packaged template, and the web app built once for every stage's PublishWeb action.
    expect(plan.artifacts).toEqual(['packaged.yaml', 'web/dist/**/*']);
    expect(plan.commands.map((c) => c.original)).toContain('npm run build --workspace web');
  });

  it('replaces only sam package locally, and stops at the first failing command', async () => {
    const plan = planBuildspec(await read('buildspec.yml'));
    expect(plan.commands.filter((c) => c.replaced).map((c) => c.original)).toEqual([
      expect.stringMatching(/^\.venv-sam\/bin\/sam package /),
    ]);
    const script = bashScript(plan);
    expect(script).toContain('exit $status');
    expect(script).not.toContain('CHROMIUM_PATH');
  });
});
