import type { TtlSettings } from './ttl-settings.js';

/** A DynamoDB JSON-protocol answer: HTTP status and body. */
export interface JsonReply {
  status: number;
  body: Record<string, unknown>;
}

/** What the TTL operations need: the settings and a way to tell whether a table exists. */
export interface TimeToLiveDeps {
  settings: TtlSettings;
  tableExists(name: string): Promise<boolean>;
}

const ok = (body: Record<string, unknown>): JsonReply => ({ status: 200, body });

const validation = (message: string): JsonReply => ({
  status: 400,
  body: { __type: 'com.amazon.coral.validate#ValidationException', message },
});

const notNull = (member: string) =>
  validation(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

const notFound = (table: string): JsonReply => ({
  status: 400,
  body: {
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    message: `Requested resource not found: Table: ${table} not found`,
  },
});

/** `DescribeTimeToLive`, answered from the local TTL settings (dynalite always says DISABLED). */
export async function describeTimeToLive(input: unknown, deps: TimeToLiveDeps): Promise<JsonReply> {
  const table = field(input, 'TableName');
  if (typeof table !== 'string') return notNull('tableName');
  if (!(await deps.tableExists(table))) return notFound(table);
  const attribute = deps.settings.attributeOf(table);
  return ok({
    TimeToLiveDescription: attribute
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute }
      : { TimeToLiveStatus: 'DISABLED' },
  });
}

/** `UpdateTimeToLive` (dynalite lacks it): validated as DynamoDB does, then saved for the sweeper. */
export async function updateTimeToLive(input: unknown, deps: TimeToLiveDeps): Promise<JsonReply> {
  const table = field(input, 'TableName');
  const spec = field(input, 'TimeToLiveSpecification');
  if (typeof table !== 'string') return notNull('tableName');
  if (spec === undefined || spec === null) return notNull('timeToLiveSpecification');
  const enabled = field(spec, 'Enabled');
  const attribute = field(spec, 'AttributeName');
  if (typeof enabled !== 'boolean') return notNull('timeToLiveSpecification.enabled');
  if (typeof attribute !== 'string') return notNull('timeToLiveSpecification.attributeName');
  if (attribute.length === 0 || attribute.length > 255) {
    return validation('TimeToLiveSpecification.AttributeName must be between 1 and 255 characters long');
  }
  if (!(await deps.tableExists(table))) return notFound(table);
  const current = deps.settings.attributeOf(table);
  if (enabled && current) {
    return validation(
      current === attribute
        ? 'TimeToLive is already enabled'
        : `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
    );
  }
  if (!enabled && !current) return validation('TimeToLive is already disabled');
  if (!enabled && current !== attribute) {
    return validation(
      `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
    );
  }
  await (enabled ? deps.settings.enable(table, attribute) : deps.settings.disable(table));
  return ok({ TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } });
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
