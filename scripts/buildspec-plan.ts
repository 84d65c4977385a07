/**
 * What `scripts/run-buildspec.ts` runs: buildspec.yml's install, pre_build and build commands in
 * CodeBuild's order, with the one step that needs AWS credentials replaced by a local stand-in.
 */
import { parse } from 'yaml';

/** CodeBuild's phases, in the order it runs them (post_build is not used by Kumo's buildspec). */
export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type Phase = (typeof PHASES)[number];

/** One command as it will run locally. */
export interface PlannedCommand {
  phase: Phase;
  /** The command as buildspec.yml has it. */
  original: string;
  /** What runs locally: the original, or its stand-in. */
  run: string;
  /** Why it was replaced, when it was. */
  replaced?: string;
}

export interface BuildspecPlan {
  /** `env.variables`, minus those the local machine overrides (see LOCAL_VARIABLES). */
  variables: Record<string, string>;
  /** `phases.install.runtime-versions` (CodeBuild picks the runtimes; locally only checked). */
  runtimeVersions: Record<string, string>;
  commands: PlannedCommand[];
  reports: string[];
  artifacts: string[];
}

/**
 * Variables that differ on this machine: CodeBuild's standard image has Google Chrome; the local
 * machine (and .ci/run) has Debian's Chromium, which test/e2e/browser.ts finds by default.
 */
const LOCAL_VARIABLES = new Set(['CHROMIUM_PATH']);

/**
 * Commands that need AWS credentials and an AWS account: `sam package` uploads to the artifact bucket.
 * Locally it becomes `sam package --help` (the pinned CLI has the command) and a check that `sam build`
 * left the template it would package.
 */
const STAND_INS: { pattern: RegExp; run: string; reason: string }[] = [
  {
    pattern: /\bsam package\b/,
    run: '.venv-sam/bin/sam package --help >/dev/null && test -s .aws-sam/build/template.yaml && echo "sam package: skipped (needs AWS credentials); .aws-sam/build/template.yaml is ready to package"',
    reason: 'uploads to the artifact bucket (needs AWS credentials)',
  },
  {
    pattern: /\bsam deploy\b|^aws\s/,
    run: 'echo "skipped: needs AWS credentials"',
    reason: 'talks to AWS (needs credentials)',
  },
];

type Raw = Record<string, unknown>;

function asRecord(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

/** Reads buildspec.yml's text into the plan of what runs locally. */
export function planBuildspec(text: string): BuildspecPlan {
  const spec = asRecord(parse(text));
  if (String(spec.version) !== '0.2')
    throw new Error(`buildspec version ${String(spec.version)}: expected 0.2`);
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(asRecord(asRecord(spec.env).variables))) {
    if (!LOCAL_VARIABLES.has(key)) variables[key] = String(value);
  }
  const phases = asRecord(spec.phases);
  const runtimeVersions = Object.fromEntries(
    Object.entries(asRecord(asRecord(phases.install)['runtime-versions'])).map(([k, v]) => [k, String(v)]),
  );
  const commands: PlannedCommand[] = [];
  for (const phase of PHASES) {
    const list = asRecord(phases[phase]).commands;
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const original = String(entry).trim();
      const standIn = STAND_INS.find((s) => s.pattern.test(original));
      commands.push(
        standIn
          ? { phase, original, run: standIn.run, replaced: standIn.reason }
          : { phase, original, run: original },
      );
    }
  }
  const artifacts = asRecord(spec.artifacts).files;
  return {
    variables,
    runtimeVersions,
    commands,
    reports: Object.keys(asRecord(spec.reports)),
    artifacts: Array.isArray(artifacts) ? artifacts.map(String) : [],
  };
}

/** Single-quotes a string for bash. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * One bash script running every command in order in the same shell, as buildspec version 0.2 does
 * (a variable set by one command is seen by the next); the first failing command ends it with its code,
 * or, with `keepGoing`, every command runs and the script exits with the last failure's code.
 */
export function bashScript(plan: BuildspecPlan, options: { keepGoing?: boolean } = {}): string {
  const lines = ['set -o pipefail', 'failed=0'];
  for (const [key, value] of Object.entries(plan.variables)) lines.push(`export ${key}=${quote(value)}`);
  for (const [i, command] of plan.commands.entries()) {
    const label = `[${i + 1}/${plan.commands.length}] ${command.phase}: ${command.original}`;
    lines.push(`printf '\\n== %s\\n' ${quote(label)}`);
    if (command.replaced) lines.push(`printf '   (local stand-in: %s)\\n' ${quote(command.replaced)}`);
    lines.push(`{\n${command.run}\n}`);
    const onFailure = options.keepGoing ? 'failed=$status' : 'exit $status';
    lines.push(
      `status=$?; if [ $status -ne 0 ]; then printf '\\n== FAILED (exit %s): %s\\n' $status ${quote(label)}; ${onFailure}; fi`,
    );
  }
  lines.push('exit $failed');
  return `${lines.join('\n')}\n`;
}
