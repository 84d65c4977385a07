/**
 * The DynamoDB document client, created once per container. The endpoint comes from the environment
 * only (`AWS_ENDPOINT_URL_DYNAMODB`, set by the local cloud), never from code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../powertools.js';

/** Low-level client, traced. */
export const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** Document client: plain JavaScript values in and out; `undefined` attributes are dropped. */
export const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
