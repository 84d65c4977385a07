export { BundleNotFoundError, RunnerError, RunnerStoppedError, UnknownFunctionError } from './errors.js';
export type { InvocationOutcome, StartOutcome } from './execution-environment.js';
export { ExecutionEnvironment } from './execution-environment.js';
export { type FunctionLogLine, type FunctionLogSink, FunctionLogs, stderrLogSink } from './function-logs.js';
export { FunctionRunner, type FunctionRunnerOptions } from './function-runner.js';
export { endpointVariable, LOCAL_CREDENTIALS, lambdaEnvironment, lambdaNodeFlags } from './lambda-env.js';
