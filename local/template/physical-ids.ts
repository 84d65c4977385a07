import { createHash } from 'node:crypto';

/** Ids of local resources that AWS would generate: derived from the stack and logical id, so stable across restarts. */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

function derived(seed: string, alphabet: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[(digest[i] as number) % alphabet.length];
  return out;
}

/** `<stack>-<logical id>` in lower case, as S3 bucket names must be (without a BucketName property). */
export function localBucketName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .slice(0, 63);
}

/** A user pool id in Cognito's shape, `us-east-1_AbC123xyZ`. */
export function localUserPoolId(region: string, stackName: string, logicalId: string): string {
  return `${region}_${derived(`userpool/${stackName}/${logicalId}`, BASE62, 9)}`;
}

/** An app client id in Cognito's shape: 26 lower-case letters and digits. */
export function localUserPoolClientId(stackName: string, logicalId: string): string {
  return derived(`userpoolclient/${stackName}/${logicalId}`, BASE36, 26);
}
