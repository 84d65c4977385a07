/** Event source types the local cloud delivers; anything else is named in a startup warning. */
export const WIRED_EVENT_TYPES = ['Schedule', 'Api', 'SNS', 'Kinesis', 'SQS', 'S3'] as const;
