import { GetParameterCommand, ParameterNotFound, ParameterType, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CURSOR_SECRET_MIN_LENGTH,
  CursorSecretError,
  cursorSecretFromEnv,
  loadCursorSecret,
} from '../../../functions/lib/cursor-secret.js';

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1' });
const NAME = '/kumo/dev/cursor-secret';
const SECRET = 'k'.repeat(CURSOR_SECRET_MIN_LENGTH);

function secureString(value: string, type: ParameterType = ParameterType.SECURE_STRING) {
  return { Parameter: { Name: NAME, Type: type, Value: value } };
}

beforeEach(() => {
  ssm.reset();
});

describe('Function: loadCursorSecret()', () => {
  it('reads the named parameter with decryption', async () => {
    ssm.on(GetParameterCommand).resolves(secureString(SECRET));
    expect(await loadCursorSecret(client, { parameterName: NAME, fallback: 'derived', stage: 'prod' })).toBe(
      SECRET,
    );
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([
      { Name: NAME, WithDecryption: true },
    ]);
  });

  it('uses the fallback without a parameter name outside prod, and never calls SSM for it', async () => {
    expect(await loadCursorSecret(client, { parameterName: '', fallback: 'derived', stage: 'dev' })).toBe(
      'derived',
    );
    expect(await loadCursorSecret(client, { parameterName: '  ', fallback: 'derived' })).toBe('derived');
    expect(ssm.calls()).toHaveLength(0);
  });

  it('refuses the fallback in prod', async () => {
    await expect(loadCursorSecret(client, { fallback: 'derived', stage: 'prod' })).rejects.toThrow(
      new CursorSecretError(
        'CURSOR_SECRET_PARAMETER is not set: prod signs cursors with a secret from SSM (template parameter CursorSecretParameterName)',
      ),
    );
  });

  it('says how to create a missing parameter', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const failure = loadCursorSecret(client, { parameterName: NAME, fallback: 'derived' });
    await expect(failure).rejects.toBeInstanceOf(CursorSecretError);
    await expect(failure).rejects.toThrow(
      `SSM parameter ${NAME} does not exist; create it: aws ssm put-parameter --type SecureString --name ${NAME}`,
    );
  });

  it('names the parameter when SSM refuses the read', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: ssm:GetParameter'), {
      name: 'AccessDeniedException',
    });
    ssm.on(GetParameterCommand).rejects(denied);
    await expect(loadCursorSecret(client, { parameterName: NAME, fallback: 'derived' })).rejects.toThrow(
      `cannot read SSM parameter ${NAME}: User is not authorized to perform: ssm:GetParameter`,
    );
  });

  it('refuses a plain String parameter and a short value', async () => {
    ssm
      .on(GetParameterCommand)
      .resolvesOnce(secureString(SECRET, ParameterType.STRING))
      .resolvesOnce(secureString('short'));
    await expect(loadCursorSecret(client, { parameterName: NAME, fallback: 'derived' })).rejects.toThrow(
      `SSM parameter ${NAME} is a String, not a SecureString`,
    );
    await expect(loadCursorSecret(client, { parameterName: NAME, fallback: 'derived' })).rejects.toThrow(
      `SSM parameter ${NAME} holds 5 characters; a cursor secret needs at least 32`,
    );
  });
});

describe('Function: cursorSecretFromEnv()', () => {
  it('reads CURSOR_SECRET_PARAMETER once per container', async () => {
    ssm.on(GetParameterCommand).resolves(secureString(SECRET));
    const cursorSecret = cursorSecretFromEnv(
      { CURSOR_SECRET_PARAMETER: NAME, STAGE: 'prod' },
      { fallback: 'derived', client },
    );
    expect(await Promise.all([cursorSecret(), cursorSecret()])).toEqual([SECRET, SECRET]);
    expect(await cursorSecret()).toBe(SECRET);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('reads again after a failure (a parameter created after the first request)', async () => {
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(new ParameterNotFound({ message: 'not found', $metadata: {} }))
      .resolves(secureString(SECRET));
    const cursorSecret = cursorSecretFromEnv(
      { CURSOR_SECRET_PARAMETER: NAME },
      { fallback: 'derived', client },
    );
    await expect(cursorSecret()).rejects.toBeInstanceOf(CursorSecretError);
    expect(await cursorSecret()).toBe(SECRET);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('falls back without CURSOR_SECRET_PARAMETER outside prod and refuses to in prod', async () => {
    expect(await cursorSecretFromEnv({ STAGE: 'dev' }, { fallback: 'derived', client })()).toBe('derived');
    await expect(cursorSecretFromEnv({ STAGE: 'prod' }, { fallback: 'derived', client })()).rejects.toThrow(
      CursorSecretError,
    );
    expect(ssm.calls()).toHaveLength(0);
  });
});
