/**
 * Errors of the resharder. Adapters translate the AWS errors the domain reacts to into these, so that
 * the domain (and the simulator, which has no SDK) never looks at SDK exception names.
 */

/** Base class: every resharder error has a stable `code`. */
export class ReshardError extends Error {
  public readonly code: string;

  public constructor(message: string, code: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReshardError';
    this.code = code;
  }
}

/**
 * Kinesis refused the operation under one of its limits (UpdateShardCount: more than 10 calls in 24 h,
 * beyond 2x or below 1/2, over the account's shard quota; too many control-plane calls per second).
 */
export class LimitExceededError extends ReshardError {
  public constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, 'LimitExceeded', options);
    this.name = 'LimitExceededError';
  }
}

/** The stream is being resharded (UPDATING) or otherwise not ACTIVE: nothing may change it now. */
export class StreamBusyError extends ReshardError {
  public constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, 'StreamBusy', options);
    this.name = 'StreamBusyError';
  }
}

/** An alarm's metric math is not one the resharder can retarget (it would rather not guess). */
export class AlarmFormatError extends ReshardError {
  public constructor(
    public readonly alarmName: string,
    detail: string,
  ) {
    super(`Alarm ${alarmName}: ${detail}`, 'AlarmFormat');
    this.name = 'AlarmFormatError';
  }
}
