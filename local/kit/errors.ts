/** Who AWS blames for an error: the caller (`Sender`, a 4xx) or the service (`Receiver`, a 5xx). */
export type Fault = 'Sender' | 'Receiver';

/** What an AwsError may set beyond its code and message. */
export interface AwsErrorOptions {
  /** HTTP status; 400 unless given (500 for a Receiver fault). */
  status?: number;
  /** Sender (the default) or Receiver. */
  fault?: Fault;
  /**
   * The shape name the JSON and CBOR protocols put in `__type` (`QueueDoesNotExist`), when it differs
   * from the query protocol's code (`AWS.SimpleQueueService.NonExistentQueue`). Defaults to `code`.
   */
  shape?: string;
}

/**
 * An error of an emulated AWS service, whatever protocol carries it: the query protocol's `Code` (also
 * the `x-amzn-query-error` header of awsQueryCompatible JSON services), the `__type` shape of the JSON
 * protocols, the HTTP status and the fault. Each service subclasses it once (`SqsError`, `SnsError`...)
 * and its named errors subclass that; the kit's protocol servers write any AwsError a handler throws.
 */
export class AwsError extends Error {
  override readonly name: string = 'AwsError';
  readonly status: number;
  readonly fault: Fault;
  readonly shape: string;
  constructor(
    readonly code: string,
    message: string,
    options: AwsErrorOptions = {},
  ) {
    super(message);
    this.fault = options.fault ?? 'Sender';
    this.status = options.status ?? (this.fault === 'Receiver' ? 500 : 400);
    this.shape = options.shape ?? code;
  }
}
