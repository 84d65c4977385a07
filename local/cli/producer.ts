/**
 * `npm run producer -- stream`: the streaming producer (functions/posts/producer/stream.ts) as a
 * long-running program, against AWS or the running local cloud.
 */
import path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readBearerToken } from '../../functions/posts/adapters/bearer-token.js';
import { KinesisPostPublisher, KinesisRecordSink } from '../../functions/posts/adapters/kinesis.js';
import { localResourceName, useLocalEndpoints } from '../../functions/posts/producer/local-endpoints.js';
import { runStreamProducer } from '../../functions/posts/producer/stream.js';
import { readEndpointsFile } from '../endpoints-file.js';
import { parseArgs, UsageError } from './args.js';

const HELP = `Usage: npm run producer -- stream [options]

Reads the X API v2 filtered stream and sends every post to the posts stream with PutRecords (batches
of up to 500 records / 5 MiB, partition key = post id, failed records re-sent with backoff). Follows
X's reconnection rules: at once after a drop, linear 250 ms steps up to 16 s after network errors
(and after 20 s without a keep-alive), exponential from 5 s up to 320 s after HTTP errors, from
1 minute after a 429. Reading and sending are decoupled by a bounded queue; SIGTERM or Ctrl-C stops
the reading and sends everything already read before exiting.

With no settings it uses the running local cloud (npm start): its X API, its PostsStream and the
bearer token in its SSM.

Options:
  --x-api <url>            X API base URL (default $X_API_BASE_URL, else the local X API)
  --stream <name>          Kinesis stream (default $POSTS_STREAM_NAME, else the local PostsStream)
  --token-parameter <name> SSM SecureString holding the bearer token (default
                           $X_BEARER_TOKEN_PARAMETER, else /kumo/local/x-bearer-token);
                           $X_BEARER_TOKEN, when set, is used instead
  --queue <n>              posts held between reading and sending (default 10000)
  --help                   show this help

Exit codes: 0 stopped and everything read was sent; 1 posts could not be sent, or it could not
start; 2 bad usage.
`;

function log(line: string): void {
  process.stderr.write(`[producer] ${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, {
      values: ['x-api', 'stream', 'token-parameter', 'queue'],
      booleans: ['help'],
      aliases: { h: 'help' },
    });
    if (args.flags.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (args.positionals[0] !== 'stream' || args.positionals.length > 1) {
      throw new UsageError(
        `expected the command "stream"${args.positionals.length ? `, got "${args.positionals.join(' ')}"` : ''} (see --help)`,
      );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`producer: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const queueText = args.flags.queue;
  const queueCapacity = typeof queueText === 'string' ? Number(queueText) : 10_000;
  if (!Number.isInteger(queueCapacity) || queueCapacity < 1) {
    process.stderr.write('producer: --queue must be a positive integer\n');
    return 2;
  }

  const local = await readEndpointsFile(path.join(process.cwd(), '.kumo'));
  const xApi =
    (args.flags['x-api'] as string | undefined) ??
    process.env.X_API_BASE_URL ??
    local?.x ??
    local?.services.x;
  const streamName =
    (args.flags.stream as string | undefined) ??
    process.env.POSTS_STREAM_NAME ??
    (local ? localResourceName('PostsStream') : undefined);
  if (!xApi || !streamName) {
    process.stderr.write(
      'producer: no X API or stream: give --x-api and --stream (or their environment variables), or start the local cloud with npm start\n',
    );
    return 1;
  }
  if (local && !process.env.AWS_ENDPOINT_URL_KINESIS) useLocalEndpoints(local);

  const tokenParameter =
    (args.flags['token-parameter'] as string | undefined) ??
    process.env.X_BEARER_TOKEN_PARAMETER ??
    '/kumo/local/x-bearer-token';
  const ssm = new SSMClient({});
  let cachedToken: string | undefined = process.env.X_BEARER_TOKEN;
  const token = async () => {
    cachedToken ??= await readBearerToken(ssm, tokenParameter);
    return cachedToken;
  };

  const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000 }) });
  const publisher = new KinesisPostPublisher(new KinesisRecordSink(kinesis, streamName));
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    log(`${signal}: no more reading; sending what was read`);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  log(`reading ${xApi} → Kinesis stream ${streamName} (queue ${queueCapacity})`);
  const started = Date.now();
  const progress = setInterval(() => log(`${summaryLine()}`), 10_000);
  let current = { read: 0, sent: 0, failed: 0 };
  const summaryLine = () => `read ${current.read}, sent ${current.sent}, failed ${current.failed}`;
  const summary = await runStreamProducer({
    baseUrl: xApi.replace(/\/+$/, ''),
    token,
    publisher: {
      publish: async (envelopes) => {
        const result = await publisher.publish(envelopes);
        current = {
          read: current.read,
          sent: current.sent + result.sent,
          failed: current.failed + result.failed,
        };
        return result;
      },
    },
    queueCapacity,
    signal: stop.signal,
    log,
  });
  clearInterval(progress);
  current = summary;
  log(
    `stopped after ${Math.round((Date.now() - started) / 1000)} s: ${summaryLine()}, ${summary.connections} connection(s)`,
  );
  return summary.failed > 0 || summary.sent < summary.read ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`producer: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
