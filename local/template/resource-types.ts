/** Resource types the local cloud emulates. */
export const EMULATED_TYPES = new Set([
  'AWS::Serverless::Function',
  'AWS::Serverless::Api',
  'AWS::Serverless::SimpleTable',
  'AWS::DynamoDB::Table',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::Kinesis::Stream',
  'AWS::SQS::Queue',
  'AWS::SSM::Parameter',
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  // Created and evaluated by the local CloudWatch (local/services/cloudwatch).
  'AWS::CloudWatch::Alarm',
]);

/** Types with no behaviour to emulate offline (permissions, log settings, dashboards): accepted quietly. */
export const INERT_TYPES = new Set([
  'AWS::Logs::LogGroup',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Lambda::Permission',
  'AWS::SNS::TopicPolicy',
  'AWS::CloudWatch::Dashboard',
  // The key that encrypts the alarms' topic (topics are not encrypted locally).
  'AWS::KMS::Key',
  // Bucket policies are not enforced locally (the template's only one denies plain HTTP, and the local
  // S3 speaks nothing else); the local S3 verifies signatures and presigned upload conditions instead.
  'AWS::S3::BucketPolicy',
  // A layer's packages (what a function leaves External) come from the project's node_modules locally.
  'AWS::Serverless::LayerVersion',
  // The deployed web app's CDN: locally the web server serves web/dist and /config.json itself (the
  // site bucket is created like any bucket, and stays empty).
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::Function',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::ResponseHeadersPolicy',
]);
