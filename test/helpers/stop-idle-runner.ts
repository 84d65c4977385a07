/**
 * Run by test/integration/runner.test.ts in a process of its own, where nothing but the runner holds
 * the event loop: one invocation leaves an idle (unref'd) execution environment, then stop() must
 * still end it and resolve. Prints `stopped` after it did; exit code 13 says stop() never settled.
 */
import { createMemoryLogger } from '../../local/log.js';
import { FunctionRunner } from '../../local/runner/index.js';
import { functionsModel } from './function-fixtures.js';

const [buildDir, logsDir] = process.argv.slice(2) as [string, string];
const runner = new FunctionRunner({
  model: await functionsModel(),
  buildDir,
  logsDir,
  endpoints: {},
  log: createMemoryLogger(),
  logSink: () => {},
});
const result = await runner.invoke('EchoFunction', {});
if (!result.ok) throw new Error(`EchoFunction failed: ${JSON.stringify(result.error)}`);
await runner.stop();
process.stdout.write('stopped\n');
