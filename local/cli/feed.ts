/**
 * `npm run feed -- --rate N --duration S`: drive load into the running local cloud's post pipeline.
 */
import path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisRecordSink, recordFor } from '../../functions/posts/adapters/kinesis.js';
import { envelopeFor } from '../../functions/posts/domain/post.js';
import { putAllRecords } from '../../functions/posts/domain/put-records.js';
import { localResourceName, useLocalEndpoints } from '../../functions/posts/producer/local-endpoints.js';
import { samplePosts } from '../../functions/posts/producer/sample-posts.js';
import { readEndpointsFile } from '../endpoints-file.js';
import { parseArgs, table, UsageError } from './args.js';

const HELP = `Usage: npm run feed -- [--rate N] [--duration S] [--via kinesis|x]

Drives load into the running local cloud (npm start): N generated posts per second for S seconds.

  --via kinesis   (default) straight into the local PostsStream with PutRecords (partition key =
                  post id), so the consumer, DynamoDB and the stream page see the load at once
  --via x         through the local X API's generator (POST /_kumo/x/generate): the posts then reach
                  the stream through the producers (the poller, npm run producer -- stream)

Options:
  --rate <n>        posts per second (default 50)
  --duration <s>    seconds (default 30)
  --stream <name>   Kinesis stream (default: the local PostsStream)
  --seed <n>        seed of the post generator (default: the clock)
  --help            show this help

Exit codes: 0 every post was sent; 1 some were not, or no local cloud runs; 2 bad usage.
`;

const TICK_MS = 100;

function positive(value: string | true | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`--${name} must be a positive number`);
  return number;
}

function status(line: string, final = false): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${line}${final ? '\n' : ''}`);
  else if (final) process.stderr.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  let rate: number;
  let duration: number;
  let via: 'kinesis' | 'x';
  let seed: number;
  let streamFlag: string | undefined;
  try {
    const args = parseArgs(argv, {
      values: ['rate', 'duration', 'via', 'stream', 'seed'],
      booleans: ['help'],
      aliases: { h: 'help' },
    });
    if (args.flags.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument "${args.positionals[0]}" (see --help)`);
    rate = positive(args.flags.rate, 'rate', 50);
    duration = positive(args.flags.duration, 'duration', 30);
    const viaFlag = args.flags.via ?? 'kinesis';
    if (viaFlag !== 'kinesis' && viaFlag !== 'x') throw new UsageError('--via must be kinesis or x');
    via = viaFlag;
    seed = Math.floor(positive(args.flags.seed, 'seed', Date.now() % 1_000_000));
    streamFlag = typeof args.flags.stream === 'string' ? args.flags.stream : undefined;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`feed: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const local = await readEndpointsFile(path.join(process.cwd(), '.kumo'));
  if (!local) {
    process.stderr.write(
      'feed: no local cloud is running here (.kumo/endpoints.json is missing): start it with npm start\n',
    );
    return 1;
  }
  useLocalEndpoints(local);
  const total = Math.round(rate * duration);
  const generator = samplePosts(seed);
  let sent = 0;
  let failed = 0;
  let due = 0;
  const started = Date.now();
  const pending: Promise<void>[] = [];

  let send: (count: number) => Promise<void>;
  if (via === 'x') {
    const x = local.x ?? local.services.x;
    if (!x) {
      process.stderr.write('feed: the local cloud serves no X API; use --via kinesis\n');
      return 1;
    }
    // The X API's control routes ask for the run's token, like every /_kumo route.
    const token = local.token ?? '';
    send = async (count) => {
      const response = await fetch(`${x}/_kumo/x/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kumo-token': token },
        body: JSON.stringify({ count }),
      });
      if (response.ok) sent += count;
      else failed += count;
      await response.body?.cancel();
    };
  } else {
    const streamName = streamFlag ?? localResourceName('PostsStream');
    const sink = new KinesisRecordSink(
      new KinesisClient({ requestHandler: new NodeHttpHandler() }),
      streamName,
    );
    send = async (count) => {
      const now = new Date();
      const records = Array.from({ length: count }, () => {
        const { post, users } = generator.next(now);
        return recordFor(envelopeFor(post, users, 'feed', now));
      });
      const report = await putAllRecords(sink, records);
      sent += report.sent;
      failed += report.failed.length;
      if (report.failed[0]) status(`feed: ${report.failed[0].reason}`, true);
    };
  }

  process.stderr.write(`feed: ${rate} posts/s for ${duration} s (${total} posts) via ${via}\n`);
  let issued = 0;
  while (issued < total) {
    const elapsed = (Date.now() - started) / 1000;
    due = Math.min(total, Math.floor(elapsed * rate) + 1);
    const count = due - issued;
    if (count > 0) {
      issued += count;
      const work = send(count).catch((error: unknown) => {
        failed += count;
        status(`feed: ${(error as Error).message}`, true);
      });
      pending.push(work);
      if (pending.length > 64) await pending.shift();
    }
    status(`feed: ${sent} sent, ${failed} failed, ${Math.round(elapsed)}/${duration} s`);
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(pending);
  const seconds = (Date.now() - started) / 1000;
  status(`feed: done`, true);
  process.stdout.write(
    `${table([
      ['via', 'posts', 'sent', 'failed', 'seconds', 'posts/s'],
      [via, String(total), String(sent), String(failed), seconds.toFixed(1), (sent / seconds).toFixed(1)],
    ])}\n`,
  );
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`feed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
