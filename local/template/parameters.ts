import { isObject, type Raw } from './values.js';

/** The pseudo parameters a template may Ref. */
export const PSEUDO = [
  'AWS::Region',
  'AWS::AccountId',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::Partition',
  'AWS::URLSuffix',
];

/** The values of the pseudo parameters for a local stack. */
export function pseudoParameters(
  region: string,
  accountId: string,
  stackName: string,
): Record<string, string> {
  return {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
}

/**
 * The template's parameters: overrides, else defaults, checked against AllowedValues; lists split.
 * A parameter without a value, or an override the template does not declare, is an error.
 */
export function resolveParameters(
  declared: Raw,
  overrides: Record<string, string>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const s = isObject(spec) ? spec : {};
    const given = overrides[name] ?? (s.Default === undefined ? undefined : String(s.Default));
    if (given === undefined) {
      throw new Error(
        `template parameter ${name} has no Default; give it with --parameter-overrides ${name}=...`,
      );
    }
    if (Array.isArray(s.AllowedValues) && !s.AllowedValues.map(String).includes(given)) {
      throw new Error(`template parameter ${name}=${given} is not one of ${s.AllowedValues.join(', ')}`);
    }
    const type = String(s.Type ?? 'String');
    out[name] =
      type === 'CommaDelimitedList' || type.startsWith('List<')
        ? given === ''
          ? []
          : given.split(',')
        : given;
  }
  for (const name of Object.keys(overrides)) {
    if (!(name in out)) throw new Error(`--parameter-overrides: the template has no parameter ${name}`);
  }
  return out;
}
