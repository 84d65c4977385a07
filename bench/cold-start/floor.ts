/**
 * The floor of a function's cold start: a handler that only imports and constructs the AWS SDK v3
 * clients the function creates (with the same client options), bundled with the function's own esbuild
 * settings. Which clients a function creates is read from its bundle's metafile: the
 * `functions/lib/clients/<name>.ts` modules it includes (every client is created there, once per
 * container). {@link CLIENT_FLOORS} declares the SDK-only equivalent of each of those modules;
 * {@link checkFloorDeclarations} fails the bench when the two drift apart.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

interface ClientFloor {
  /** The SDK packages the client module imports (and the floor imports in turn). */
  packages: string[];
  /** Statements that import and construct the client, as the module does minus Powertools. */
  source: string;
}

/** The SDK-only twin of each `functions/lib/clients/<name>.ts`, keyed by `<name>`. */
export const CLIENT_FLOORS: Readonly<Record<string, ClientFloor>> = {
  cloudwatch: {
    packages: ['@aws-sdk/client-cloudwatch'],
    source: `import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
export const cloudwatch = new CloudWatchClient({});`,
  },
  dynamodb: {
    packages: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
    source: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});`,
  },
  kinesis: {
    packages: ['@aws-sdk/client-kinesis', '@smithy/node-http-handler'],
    source: `import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
export const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000 }) });`,
  },
  lambda: {
    packages: ['@aws-sdk/client-lambda'],
    source: `import { LambdaClient } from '@aws-sdk/client-lambda';
export const lambda = new LambdaClient({ region: 'eu-west-1' });`,
  },
  rekognition: {
    packages: ['@aws-sdk/client-rekognition'],
    source: `import { RekognitionClient } from '@aws-sdk/client-rekognition';
export const rekognition = new RekognitionClient({});`,
  },
  s3: {
    packages: ['@aws-sdk/client-s3'],
    source: `import { S3Client } from '@aws-sdk/client-s3';
export const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });`,
  },
  sns: {
    packages: ['@aws-sdk/client-sns'],
    source: `import { SNSClient } from '@aws-sdk/client-sns';
export const sns = new SNSClient({});`,
  },
  sqs: {
    packages: ['@aws-sdk/client-sqs'],
    source: `import { SQSClient } from '@aws-sdk/client-sqs';
export const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });`,
  },
  ssm: {
    packages: ['@aws-sdk/client-ssm'],
    source: `import { SSMClient } from '@aws-sdk/client-ssm';
export const ssm = new SSMClient({});`,
  },
};

/** Fails when a client module has no floor declaration (or a declaration names no module). */
export async function checkFloorDeclarations(clientsDir: string): Promise<void> {
  const modules = (await readdir(clientsDir))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -3));
  const undeclared = modules.filter((name) => !(name in CLIENT_FLOORS));
  const stale = Object.keys(CLIENT_FLOORS).filter((name) => !modules.includes(name));
  if (undeclared.length > 0 || stale.length > 0)
    throw new Error(
      `bench/cold-start/floor.ts is out of step with ${clientsDir}: ` +
        `undeclared ${undeclared.join(', ') || 'none'}; no such module ${stale.join(', ') || 'none'}`,
    );
}

/**
 * The client modules a bundle includes, from its esbuild metafile inputs. Fails when the bundle holds
 * an `@aws-sdk/client-*` package that none of them accounts for (a client created elsewhere).
 */
export function clientsOfBundle(inputs: readonly string[]): string[] {
  const clients = [
    ...new Set(
      inputs.flatMap((input) => {
        // Inputs are relative to the function's CodeUri (functions/): `lib/clients/sns.ts`.
        if (input.includes('node_modules')) return [];
        const match = /(?:^|\/)lib\/clients\/([a-z0-9-]+)\.ts$/.exec(input);
        return match?.[1] ? [match[1]] : [];
      }),
    ),
  ].sort();
  const covered = new Set(clients.flatMap((name) => CLIENT_FLOORS[name]?.packages ?? []));
  const sdkClients = new Set(
    inputs.flatMap((input) => {
      const match = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(input);
      return match?.[1] ? [match[1]] : [];
    }),
  );
  const strays = [...sdkClients].filter((pkg) => !covered.has(pkg));
  if (strays.length > 0)
    throw new Error(`bundle holds ${strays.join(', ')} outside functions/lib/clients: declare its floor`);
  return clients;
}

/** The floor handler's TypeScript source for a set of client modules. */
export function floorSource(clients: readonly string[]): string {
  const parts = clients.map((name) => {
    const floor = CLIENT_FLOORS[name];
    if (!floor) throw new Error(`no floor declared for client module ${name}`);
    return floor.source;
  });
  return `${parts.join('\n')}\nexport const handler = async () => ({ ok: true });\n`;
}

/** Where a floor's source goes so that its bundle gets the function's output file name. */
export function floorEntry(dir: string, handler: string): string {
  return path.join(dir, `${handler.split('.')[0] ?? 'index'}.ts`);
}
