/** Base of the errors `FunctionRunner.invoke` rejects with: the local setup is wrong, not the function. */
export class RunnerError extends Error {
  override readonly name: string = 'RunnerError';
}

/** No function of the template has this logical id. */
export class UnknownFunctionError extends RunnerError {
  override readonly name = 'UnknownFunctionError';
  constructor(
    readonly logicalId: string,
    readonly known: string[],
  ) {
    super(`unknown function ${logicalId}; the template has ${known.join(', ') || 'no functions'}`);
  }
}

/** The function has not been bundled (or was bundled elsewhere). */
export class BundleNotFoundError extends RunnerError {
  override readonly name = 'BundleNotFoundError';
  constructor(
    readonly logicalId: string,
    readonly bundlePath: string,
  ) {
    super(`${logicalId}: no bundle at ${bundlePath}; run \`npm run build\` first`);
  }
}

/** `invoke` was called after (or while) the runner stopped. */
export class RunnerStoppedError extends RunnerError {
  override readonly name = 'RunnerStoppedError';
  constructor(readonly logicalId: string) {
    super(`${logicalId}: the function runner has stopped`);
  }
}
