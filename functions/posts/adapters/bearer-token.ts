/**
 * The X bearer token, from an SSM SecureString parameter (its name is a template Parameter; the value
 * never appears in the template or the environment).
 */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';

export async function readBearerToken(client: SSMClient, parameterName: string): Promise<string> {
  const { Parameter } = await client.send(
    new GetParameterCommand({ Name: parameterName, WithDecryption: true }),
  );
  const value = Parameter?.Value?.trim();
  if (!value) throw new Error(`SSM parameter ${parameterName} is empty`);
  return value;
}
