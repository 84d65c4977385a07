/** CloudWatch's JSON 1.0 and RPC v2 CBOR service name (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`). */
export const SERVICE_TARGET = 'GraniteServiceVersion20100801';

/** The Smithy namespace of CloudWatch's shapes (`__type` of JSON and CBOR errors). */
export const SHAPE_NAMESPACE = 'com.amazonaws.cloudwatch';

/** The query protocol's API version and the namespace of its XML responses. */
export const API_VERSION = '2010-08-01';
export const XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

/** Region names as CloudWatch writes them in alarm notifications and their subjects. */
export const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'ca-central-1': 'Canada (Central)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-north-1': 'EU (Stockholm)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'sa-east-1': 'South America (Sao Paulo)',
};

/** The largest request body read (PutMetricData of 1,000 datums with values fits well under it). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Alarm states. */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof ALARM_STATES)[number];

/** Comparison operators of static-threshold alarms (anomaly-detection bands are not emulated). */
export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

/** Statistics the metric store can compute (it keeps statistic sets, not every sample). */
export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type StatisticName = (typeof STATISTICS)[number];
