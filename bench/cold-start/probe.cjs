// Runs in a fresh Node process: load one bundle (init) and run a first invocation, timing both.
// argv: bundle path, export name, event JSON path ('' for {}). Prints one JSON line.
const { readFileSync } = require('node:fs');
const started = performance.now();
// CPU time as well as wall time: on a busy machine the wall clock mostly measures the wait for a core.
const cpuStarted = process.cpuUsage();
const [bundle, exportName, eventPath] = process.argv.slice(2);
const handler = require(bundle)[exportName];
const loaded = performance.now();
const cpu = process.cpuUsage(cpuStarted);
const event = eventPath ? JSON.parse(readFileSync(eventPath, 'utf8')) : {};
const context = {
  awsRequestId: 'bench-cold-start',
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  logGroupName: 'bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30000,
};
Promise.resolve(handler(event, context)).then(
  (result) => report(true, result),
  (error) => report(false, { errorType: error.name, errorMessage: error.message }),
);
function report(ok, result) {
  const done = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      ok,
      initMs: loaded - started,
      initCpuMs: (cpu.user + cpu.system) / 1000,
      firstInvokeMs: done - loaded,
      result,
    })}\n`,
  );
  process.exit(0);
}
