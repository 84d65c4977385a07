/** A worker thread of the local cloud ended without being asked to: its service is gone. */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
  constructor(
    /** The service that ran in it (`dynamodb`, `s3`, `cognito`). */
    readonly worker: string,
    /** The uncaught error, when the thread threw one. */
    override readonly cause: Error | undefined,
    readonly exitCode: number,
  ) {
    super(
      `${worker}: its worker thread crashed (${cause ? `${cause.name}: ${cause.message}` : `exit code ${exitCode}`})`,
    );
  }
}

/** A service did not start in its worker thread. */
export class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
  constructor(
    readonly worker: string,
    reason: string,
  ) {
    super(`${worker}: did not start in its worker thread: ${reason}`);
  }
}
