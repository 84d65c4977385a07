import type { FailureDestination } from '../../events/kinesis/settings.js';
import type { Resolved, TemplateModel } from '../../template/types.js';
import type { InvokeError } from '../../types.js';

/** Lambda's default for asynchronous invocations: two retries after the first attempt. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;

/** How Lambda invokes a function asynchronously: its `EventInvokeConfig`, defaults applied. */
export interface AsyncInvokeSettings {
  functionArn: string;
  /** 0..2. */
  maximumRetryAttempts: number;
  /** Where an event goes once its retries are exhausted; none: it is dropped (and logged). */
  onFailure?: FailureDestination;
}

function record(value: Resolved | undefined): Record<string, Resolved> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/**
 * The asynchronous invocation settings of a function from its SAM `EventInvokeConfig`
 * (`MaximumRetryAttempts`, `DestinationConfig.OnFailure` to an SQS queue or SNS topic). `warn` gets
 * what is not emulated: OnSuccess and destinations other than SQS and SNS. `MaximumEventAgeInSeconds`
 * needs nothing: local retries come seconds apart, far below its 60 s minimum.
 */
export function asyncInvokeSettings(
  model: TemplateModel,
  functionLogicalId: string,
  warn: (message: string) => void,
): AsyncInvokeSettings {
  const fn = model.functions.find((f) => f.logicalId === functionLogicalId);
  const config = record(model.resources.get(functionLogicalId)?.properties.EventInvokeConfig);
  const where = `${functionLogicalId} EventInvokeConfig`;
  const retries = Number(config.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS);
  const settings: AsyncInvokeSettings = {
    functionArn: fn?.arn ?? functionLogicalId,
    maximumRetryAttempts:
      Number.isInteger(retries) && retries >= 0 && retries <= 2 ? retries : DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  };
  if (settings.maximumRetryAttempts !== retries) {
    warn(`${where}: MaximumRetryAttempts must be 0, 1 or 2 (got ${String(config.MaximumRetryAttempts)})`);
  }
  const destinations = record(config.DestinationConfig);
  if (destinations.OnSuccess !== undefined) warn(`${where}: OnSuccess is not delivered locally`);
  const destination = record(destinations.OnFailure).Destination;
  if (typeof destination === 'string' && destination !== '') {
    const service = destination.split(':')[2];
    if (service === 'sqs' || service === 'sns') settings.onFailure = { kind: service, arn: destination };
    else warn(`${where}: OnFailure destination ${destination} is not delivered locally (SQS and SNS are)`);
  }
  return settings;
}

/**
 * The invocation record Lambda sends to an OnFailure destination of an asynchronous invocation
 * (`requestContext.condition` `RetriesExhausted`), with the event in `requestPayload` and the error the
 * function answered in `responsePayload`.
 */
export function asyncFailureRecord(input: {
  requestId: string;
  functionArn: string;
  attempts: number;
  event: unknown;
  error: InvokeError | undefined;
  now?: Date;
}) {
  return {
    version: '1.0',
    timestamp: (input.now ?? new Date()).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: input.attempts,
    },
    requestPayload: input.event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: input.error?.errorType ?? 'Error',
      errorMessage: input.error?.errorMessage ?? 'unknown',
    },
  };
}
