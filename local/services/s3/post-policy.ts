import { policyError, S3Error } from './errors.js';
import { parseAmzDate, type SigV4Verifier, sameSignature } from './sigv4.js';

/** The form of a browser POST upload: its fields (file excluded), in order, and the file's size. */
export interface PostForm {
  fields: [string, string][];
  fileSize: number;
}

/** Form fields the policy need not mention (S3's own list). */
const EXEMPT_FIELDS = new Set(['x-amz-signature', 'file', 'policy', 'awsaccesskeyid', 'signature']);

type Condition =
  | { kind: 'match'; field: string; operator: 'eq' | 'starts-with'; value: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number };

/**
 * Verifies a presigned POST as S3 does before it stores anything: the SigV4 signature of the policy with
 * the local secret, the session token, the expiration, every condition (`eq`, `starts-with`, exact
 * matches, `content-length-range`) and that no field escapes the policy. Throws the S3Error S3 answers
 * (AccessDenied "Invalid according to Policy: ...", EntityTooLarge, EntityTooSmall, SignatureDoesNotMatch...).
 */
export function verifyPostPolicy(
  verifier: SigV4Verifier,
  bucket: string,
  form: PostForm,
  now: Date = new Date(),
): { accessKeyId: string; key: string } {
  const fields = new Map<string, string>();
  for (const [name, value] of form.fields) {
    const lower = name.toLowerCase();
    if (!fields.has(lower)) fields.set(lower, value);
  }
  const policyBase64 = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  if (policyBase64 === undefined && signature === undefined && !fields.has('awsaccesskeyid')) {
    // An anonymous POST: the bucket is private, as the template's buckets are.
    throw new S3Error('AccessDenied', 'Access Denied');
  }
  if (fields.has('awsaccesskeyid') || fields.has('signature')) {
    throw new S3Error(
      'InvalidArgument',
      'Signature Version 2 POST uploads are not supported by the local cloud',
      {
        ArgumentName: 'AWSAccessKeyId',
      },
    );
  }
  for (const name of ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) {
    if (!fields.has(name)) {
      throw new S3Error(
        'InvalidArgument',
        `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
        { ArgumentName: name, ArgumentValue: '' },
      );
    }
  }
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new S3Error('InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', {
      ArgumentName: 'x-amz-algorithm',
      ArgumentValue: fields.get('x-amz-algorithm') ?? '',
    });
  }
  const key = fields.get('key');
  if (key === undefined) {
    throw new S3Error(
      'InvalidArgument',
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      { ArgumentName: 'key', ArgumentValue: '' },
    );
  }

  // The signature first: nothing of an unsigned policy is worth reporting.
  const scope = verifier.parseCredential(fields.get('x-amz-credential') ?? '', 'post');
  const credential = verifier.credential(scope.accessKeyId);
  verifier.checkToken(credential, fields.get('x-amz-security-token'));
  const expected = verifier.policySignature(credential, scope, policyBase64 ?? '');
  if (!sameSignature(expected, signature ?? '')) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: credential.accessKeyId,
        StringToSign: policyBase64 ?? '',
        SignatureProvided: signature ?? '',
      },
    );
  }
  if (!parseAmzDate(fields.get('x-amz-date'))) {
    throw new S3Error(
      'InvalidArgument',
      "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
      {
        ArgumentName: 'x-amz-date',
        ArgumentValue: fields.get('x-amz-date') ?? '',
      },
    );
  }

  const policy = parsePolicy(policyBase64 ?? '');
  if (now.getTime() > policy.expiration.getTime()) throw policyError('Policy expired.');

  // The form as S3 sees it: the bucket of the URL counts as a field.
  const values = new Map(fields);
  values.set('bucket', bucket);
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      if (form.fileSize > condition.max) {
        throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
          ProposedSize: form.fileSize,
          MaxSizeAllowed: condition.max,
        });
      }
      if (form.fileSize < condition.min) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
          ProposedSize: form.fileSize,
          MinSizeAllowed: condition.min,
        });
      }
      continue;
    }
    covered.add(condition.field);
    const value = values.get(condition.field) ?? '';
    const holds =
      condition.operator === 'eq'
        ? value === condition.value
        : condition.value === '' || value.startsWith(condition.value);
    if (!holds) throw policyError(`Policy Condition failed: ${condition.text}`);
  }
  const extra = [...fields.keys()].filter(
    (name) =>
      !covered.has(name) && !EXEMPT_FIELDS.has(name) && !name.startsWith('x-ignore-') && name !== 'bucket',
  );
  if (fields.has('bucket') && !covered.has('bucket')) extra.unshift('bucket');
  if (extra.length > 0) throw policyError(`Extra input fields: ${extra.join(', ')}`);
  return { accessKeyId: credential.accessKeyId, key };
}

/** Decodes and checks the policy document (base64 JSON with `expiration` and `conditions`). */
function parsePolicy(base64: string): { expiration: Date; conditions: Condition[] } {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null) {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  const expiresAt = typeof expiration === 'string' ? new Date(expiration) : undefined;
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.');
  }
  if (!Array.isArray(conditions)) {
    throw new S3Error('InvalidPolicyDocument', 'Invalid Policy: Policy missing conditions.');
  }
  return { expiration: expiresAt, conditions: conditions.map(parseCondition) };
}

function parseCondition(raw: unknown): Condition {
  const invalid = () =>
    new S3Error('InvalidPolicyDocument', `Invalid Policy: Invalid Condition: ${JSON.stringify(raw)}`);
  if (Array.isArray(raw)) {
    const [operator, first, second] = raw as unknown[];
    if (operator === 'content-length-range') {
      const min = Number(first);
      const max = Number(second);
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) throw invalid();
      return { kind: 'content-length-range', min, max };
    }
    if (
      (operator !== 'eq' && operator !== 'starts-with') ||
      typeof first !== 'string' ||
      typeof second !== 'string'
    ) {
      throw invalid();
    }
    if (!first.startsWith('$')) throw invalid();
    return {
      kind: 'match',
      field: first.slice(1).toLowerCase(),
      operator,
      value: second,
      text: `["${operator}", "${first}", "${second}"]`,
    };
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    const [name, value] = entries[0] ?? [];
    if (entries.length !== 1 || name === undefined || typeof value !== 'string') throw invalid();
    return {
      kind: 'match',
      field: name.toLowerCase(),
      operator: 'eq',
      value,
      text: `["eq", "$${name}", "${value}"]`,
    };
  }
  throw invalid();
}
