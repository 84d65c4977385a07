import { localBucketName, localUserPoolClientId, localUserPoolId } from './physical-ids.js';
import type { Resolved } from './types.js';
import { isObject, type Raw } from './values.js';

/** Where the local stack lives, and how to read a resource's explicit name property. */
export interface StackPlace {
  stackName: string;
  region: string;
  accountId: string;
  /** The local SQS URL when known: queue URLs point there. */
  sqsUrl?: string;
  /** The resolved value of an explicit name property (TableName, TopicName...), or undefined. */
  explicitName(logicalId: string, resource: Raw, property: string): string | undefined;
}

/** Physical names, ARNs, Refs and GetAtt attributes of the template's resources, as CloudFormation gives them. */
export interface PhysicalNames {
  name(logicalId: string, resource: Raw): string;
  arn(logicalId: string, resource: Raw): string;
  /** `Ref`: a topic's ARN, a queue's URL, everything else's name or id. */
  ref(logicalId: string, resource: Raw): string;
  attribute(logicalId: string, resource: Raw, attribute: string): Resolved | undefined;
}

/** A FIFO queue's generated name ends in `.fifo`, as CloudFormation's does. */
function fifoName(resource: Raw, base: string): string {
  const props = isObject(resource.Properties) ? resource.Properties : {};
  return props.FifoQueue === true || props.FifoQueue === 'true' ? `${base}.fifo` : base;
}

export function physicalNames(place: StackPlace): PhysicalNames {
  const { stackName, region, accountId } = place;
  const explicit = (logicalId: string, resource: Raw, property: string, fallback: string) =>
    place.explicitName(logicalId, resource, property) ?? fallback;

  function name(logicalId: string, resource: Raw): string {
    const base = `${stackName}-${logicalId}`;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::Serverless::SimpleTable':
        return explicit(logicalId, resource, 'TableName', base);
      case 'AWS::SNS::Topic':
        return explicit(logicalId, resource, 'TopicName', base);
      case 'AWS::Serverless::Function':
        return explicit(logicalId, resource, 'FunctionName', base);
      case 'AWS::Kinesis::Stream':
        return explicit(logicalId, resource, 'Name', base);
      case 'AWS::SQS::Queue':
        return explicit(logicalId, resource, 'QueueName', fifoName(resource, base));
      case 'AWS::SSM::Parameter':
        return explicit(logicalId, resource, 'Name', `CFN-${logicalId}`);
      case 'AWS::CloudWatch::Alarm':
        return explicit(logicalId, resource, 'AlarmName', base);
      case 'AWS::Logs::LogGroup':
        return explicit(logicalId, resource, 'LogGroupName', `/aws/logs/${base}`);
      case 'AWS::S3::Bucket':
        return explicit(logicalId, resource, 'BucketName', localBucketName(stackName, logicalId));
      case 'AWS::Cognito::UserPool':
        return localUserPoolId(region, stackName, logicalId);
      case 'AWS::Cognito::UserPoolClient':
        return localUserPoolClientId(stackName, logicalId);
      case 'AWS::Cognito::UserPoolGroup':
        return explicit(logicalId, resource, 'GroupName', base);
      case 'AWS::Serverless::Api':
        return logicalId
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')
          .slice(0, 10)
          .padEnd(10, '0');
      default:
        return base;
    }
  }

  function arn(logicalId: string, resource: Raw): string {
    const n = name(logicalId, resource);
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::Serverless::SimpleTable':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${n}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${accountId}:${n}`;
      case 'AWS::Serverless::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${n}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${region}:${accountId}:log-group:${n}:*`;
      case 'AWS::Kinesis::Stream':
        return `arn:aws:kinesis:${region}:${accountId}:stream/${n}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${region}:${accountId}:${n}`;
      case 'AWS::SSM::Parameter':
        return `arn:aws:ssm:${region}:${accountId}:parameter/${n.replace(/^\//, '')}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${n}`;
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${region}:${accountId}:userpool/${n}`;
      case 'AWS::CloudWatch::Alarm':
        return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${n}`;
      default: {
        const service = String(resource.Type).split('::')[1]?.toLowerCase() ?? 'unknown';
        return `arn:aws:${service}:${region}:${accountId}:${n}`;
      }
    }
  }

  /**
   * The queue URL: on the local SQS when its URL is known (the SQS client sends a request to the host of
   * its QueueUrl, whatever AWS_ENDPOINT_URL_SQS says), else as AWS spells it.
   */
  function queueUrl(logicalId: string, resource: Raw): string {
    const base = place.sqsUrl ?? `https://sqs.${region}.amazonaws.com`;
    return `${base}/${accountId}/${name(logicalId, resource)}`;
  }

  function ref(logicalId: string, resource: Raw): string {
    // Ref of a topic is its ARN and of a queue its URL, as in CloudFormation; everything else here is
    // its name or id.
    if (resource.Type === 'AWS::SNS::Topic') return arn(logicalId, resource);
    if (resource.Type === 'AWS::SQS::Queue') return queueUrl(logicalId, resource);
    return name(logicalId, resource);
  }

  function attribute(logicalId: string, resource: Raw, attribute: string): Resolved | undefined {
    const n = name(logicalId, resource);
    const type = resource.Type;
    switch (attribute) {
      case 'Arn':
      case 'TopicArn':
        return arn(logicalId, resource);
      case 'TopicName':
      case 'QueueName':
        return n;
      case 'QueueUrl':
        return type === 'AWS::SQS::Queue' ? queueUrl(logicalId, resource) : undefined;
      case 'StreamArn':
        return `${arn(logicalId, resource)}/stream/1970-01-01T00:00:00.000`;
      case 'RootResourceId':
        return `${n}root`;
      // S3 buckets; a CloudFront distribution's name (nothing listens there locally)
      case 'DomainName':
        if (type === 'AWS::CloudFront::Distribution') return `${n.toLowerCase()}.cloudfront.net`;
        return type === 'AWS::S3::Bucket' ? `${n}.s3.amazonaws.com` : undefined;
      // CloudFront origin access controls and policies
      case 'Id':
        return String(type).startsWith('AWS::CloudFront::') ? n : undefined;
      case 'FunctionMetadata.FunctionARN':
        return type === 'AWS::CloudFront::Function'
          ? `arn:aws:cloudfront::${accountId}:function/${n}`
          : undefined;
      case 'RegionalDomainName':
        return type === 'AWS::S3::Bucket' ? `${n}.s3.${region}.amazonaws.com` : undefined;
      case 'DualStackDomainName':
        return type === 'AWS::S3::Bucket' ? `${n}.s3.dualstack.${region}.amazonaws.com` : undefined;
      case 'WebsiteURL':
        return type === 'AWS::S3::Bucket' ? `http://${n}.s3-website-${region}.amazonaws.com` : undefined;
      // Cognito user pools and app clients
      case 'ProviderName':
        return type === 'AWS::Cognito::UserPool' ? `cognito-idp.${region}.amazonaws.com/${n}` : undefined;
      case 'ProviderURL':
        return type === 'AWS::Cognito::UserPool'
          ? `https://cognito-idp.${region}.amazonaws.com/${n}`
          : undefined;
      case 'UserPoolId':
      case 'ClientId':
        return type === 'AWS::Cognito::UserPool' || type === 'AWS::Cognito::UserPoolClient' ? n : undefined;
      default:
        return undefined;
    }
  }

  return { name, arn, ref, attribute };
}
