import type { IndexModel, KeyElement, Resolved, ResourceModel, TableModel } from './types.js';
import { record, str } from './values.js';

function keySchema(value: Resolved | undefined): KeyElement[] {
  if (!Array.isArray(value)) return [];
  return value.map(record).map((k) => ({
    attributeName: str(k.AttributeName),
    keyType: k.KeyType === 'RANGE' ? 'RANGE' : 'HASH',
  }));
}

function indexes(value: Resolved | undefined): IndexModel[] {
  if (!Array.isArray(value)) return [];
  return value.map(record).map((index) => {
    const projection = record(index.Projection);
    return {
      indexName: str(index.IndexName),
      keySchema: keySchema(index.KeySchema),
      projection: {
        projectionType: str(projection.ProjectionType, 'ALL'),
        nonKeyAttributes: Array.isArray(projection.NonKeyAttributes)
          ? projection.NonKeyAttributes.map((a) => str(a))
          : undefined,
      },
    };
  });
}

/** An `AWS::DynamoDB::Table`: keys, indexes, TTL and stream. */
export function tableModel(resource: ResourceModel, name: string, arn: string): TableModel {
  const p = resource.properties;
  const ttl = record(p.TimeToLiveSpecification);
  const defs = Array.isArray(p.AttributeDefinitions) ? p.AttributeDefinitions.map(record) : [];
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    attributeDefinitions: defs.map((d) => ({
      attributeName: str(d.AttributeName),
      attributeType: str(d.AttributeType),
    })),
    keySchema: keySchema(p.KeySchema),
    globalSecondaryIndexes: indexes(p.GlobalSecondaryIndexes),
    localSecondaryIndexes: indexes(p.LocalSecondaryIndexes),
    ttlAttribute: ttl.Enabled === true || ttl.Enabled === 'true' ? str(ttl.AttributeName) : undefined,
    streamViewType: record(p.StreamSpecification).StreamViewType as string | undefined,
  };
}

/** An `AWS::Serverless::SimpleTable`: one string, number or binary hash key. */
export function simpleTableModel(resource: ResourceModel, name: string, arn: string): TableModel {
  const key = record(resource.properties.PrimaryKey);
  const attributeName = str(key.Name, 'id');
  const type = str(key.Type, 'String');
  return {
    logicalId: resource.logicalId,
    name,
    arn,
    attributeDefinitions: [
      { attributeName, attributeType: type === 'Number' ? 'N' : type === 'Binary' ? 'B' : 'S' },
    ],
    keySchema: [{ attributeName, keyType: 'HASH' }],
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
  };
}
