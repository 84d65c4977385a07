/**
 * Kinesis Data Streams prices, US East (N. Virginia), as published when this was written. AWS's pricing
 * page (https://aws.amazon.com/kinesis/data-streams/pricing/) renders its figures dynamically, so they
 * are taken from where they are quoted in text:
 *
 * - Provisioned: $0.015 per shard-hour and $0.014 per million PUT payload units — a PUT payload unit is
 *   each 25 KB chunk of a record (a 5 KB record is one unit, a 45 KB record two), per the pricing page's
 *   own definition; the two rates as quoted for us-east-1 by https://c3x.dev/resources/aws/aws_kinesis_stream
 *   ("$0.015/hour" per shard) and https://costcalculator.calculator.city/aws-kinesis-cost-calculator
 *   ("$0.015/hr", "$0.014/million" PUT units, "US-East-1 region pricing"). Reads (GetRecords) are free.
 * - On-demand (Standard): $0.04 per stream-hour and $0.08 per GB written — AWS Big Data Blog, "Kinesis
 *   On-demand Advantage saves 60%+ on streaming costs" (2026-03-09, "All prices ... from the us-east-1
 *   Region": "$0.04 charge per stream hour", "On-demand Standard is $0.08 per GB"); each record counts
 *   rounded up to the next 1 KB (pricing page, "Data-In"). Reading costs $0.04 per GB retrieved (c3x.dev,
 *   as above): counted once, for the one consumer.
 */
export const PRICES = {
  shardHour: 0.015,
  perMillionPutPayloadUnits: 0.014,
  putPayloadUnitBytes: 25 * 1024,
  onDemandStreamHour: 0.04,
  onDemandPerGbIn: 0.08,
  onDemandPerGbOut: 0.04,
  onDemandRecordRoundingBytes: 1024,
} as const;

const GB = 1024 ** 3;

/** Provisioned cost of `shardHours` and `records` accepted records of `recordBytes` each. */
export function provisionedCost(shardHours: number, records: number, recordBytes: number): number {
  const unitsPerRecord = Math.ceil(recordBytes / PRICES.putPayloadUnitBytes);
  return (
    shardHours * PRICES.shardHour + ((records * unitsPerRecord) / 1e6) * PRICES.perMillionPutPayloadUnits
  );
}

/** On-demand cost of `hours` of one stream writing (and reading once) `records` records. */
export function onDemandCost(hours: number, records: number, recordBytes: number): number {
  const billedBytes =
    Math.ceil(recordBytes / PRICES.onDemandRecordRoundingBytes) * PRICES.onDemandRecordRoundingBytes;
  const gb = (records * billedBytes) / GB;
  return hours * PRICES.onDemandStreamHour + gb * (PRICES.onDemandPerGbIn + PRICES.onDemandPerGbOut);
}
