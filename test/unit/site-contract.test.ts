/**
 * The web app's hosting in template.yaml (docs/deployment.md): a private bucket only the distribution
 * reads, CloudFront with HTTPS, HTTP/2 and 3, compression, an SPA rewrite and two cache policies, a
 * Content-Security-Policy naming exactly the API, Cognito and the photos bucket, and the web origin
 * every CORS rule follows.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTemplateText, readTemplate, type TemplateModel } from '../../local/template/index.js';

const templatePath = path.resolve(import.meta.dirname, '../../template.yaml');

type Raw = Record<string, unknown>;
interface RawResource {
  Type: string;
  Properties?: Raw;
  DeletionPolicy?: unknown;
}
let raw: { Resources: Record<string, RawResource>; Outputs: Record<string, { Value: unknown }> };
let deployed: TemplateModel;

beforeAll(async () => {
  raw = parseTemplateText(await readFile(templatePath, 'utf8')) as typeof raw;
  deployed = await readTemplate(templatePath, { parameterOverrides: { Stage: 'dev' } });
});

function props(model: TemplateModel, logicalId: string): Raw {
  const resource = model.resources.get(logicalId);
  if (!resource) throw new Error(`${logicalId} is not in the template`);
  return resource.properties as Raw;
}

const at = (value: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);

/** The sources of each CSP directive. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('template.yaml: the site bucket', () => {
  it('is private, encrypted, owner-enforced, versioned, and retained in prod', () => {
    const bucket = props(deployed, 'SiteBucket');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(at(bucket, 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0)).toEqual({
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
    });
    expect(at(bucket, 'OwnershipControls', 'Rules', 0, 'ObjectOwnership')).toBe('BucketOwnerEnforced');
    expect(at(bucket, 'VersioningConfiguration', 'Status')).toBe('Enabled');
    expect(bucket).not.toHaveProperty('WebsiteConfiguration');
    expect(raw.Resources.SiteBucket?.DeletionPolicy).toEqual({ 'Fn::If': ['IsProd', 'Retain', 'Delete'] });
  });

  it('lets only this distribution read it (CloudFront service principal, pinned by AWS:SourceArn)', () => {
    const statements = at(raw.Resources.SiteBucketPolicy?.Properties, 'PolicyDocument', 'Statement') as Raw[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Sid: 'ReadByTheSiteDistributionOnly',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [{ 'Fn::GetAtt': ['SiteBucket', 'Arn'] }, { 'Fn::Sub': `\${SiteBucket.Arn}/*` }],
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Sub': `arn:\${AWS::Partition}:cloudfront::\${AWS::AccountId}:distribution/\${SiteDistribution}`,
            },
          },
        },
      },
    ]);
    const denies = statements.filter((s) => s.Effect === 'Deny');
    expect(denies.map((s) => s.Sid)).toEqual(['DenyInsecureTransport']);
  });
});

describe('template.yaml: the distribution', () => {
  const config = () => props(deployed, 'SiteDistribution').DistributionConfig as Raw;
  const behaviours = () => [
    config().DefaultCacheBehavior as Raw,
    ...((config().CacheBehaviors as Raw[] | undefined) ?? []),
  ];

  it('reads the bucket through origin access control (SigV4), never publicly', () => {
    expect(config().Origins as Raw[]).toHaveLength(1);
    expect(raw.Resources.SiteDistribution?.Properties).toMatchObject({
      DistributionConfig: {
        Origins: [
          {
            DomainName: { 'Fn::GetAtt': ['SiteBucket', 'RegionalDomainName'] },
            OriginAccessControlId: { 'Fn::GetAtt': ['SiteOriginAccessControl', 'Id'] },
            S3OriginConfig: { OriginAccessIdentity: '' },
          },
        ],
      },
    });
    expect(props(deployed, 'SiteOriginAccessControl').OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  it('serves HTTPS only (redirect), HTTP/2 and HTTP/3, compressed, GET and HEAD only', () => {
    expect(config()).toMatchObject({
      Enabled: true,
      HttpVersion: 'http2and3',
      DefaultRootObject: 'index.html',
    });
    expect(behaviours()).toHaveLength(2);
    for (const behaviour of behaviours()) {
      expect(behaviour).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        Compress: true,
        AllowedMethods: ['GET', 'HEAD'],
      });
    }
    const rawConfig = raw.Resources.SiteDistribution?.Properties?.DistributionConfig as Raw;
    for (const behaviour of [rawConfig.DefaultCacheBehavior, ...(rawConfig.CacheBehaviors as Raw[])]) {
      expect(at(behaviour, 'ResponseHeadersPolicyId')).toEqual({ Ref: 'SiteHeadersPolicy' });
    }
  });

  it('caches hashed assets for a year and index.html / config.json not at all', () => {
    const [documents, assets] = behaviours();
    expect(assets?.PathPattern).toBe('/assets/*');
    const policy = (logicalId: string) => props(deployed, logicalId).CachePolicyConfig as Raw;
    expect(
      at(
        raw.Resources.SiteDistribution?.Properties,
        'DistributionConfig',
        'CacheBehaviors',
        0,
        'CachePolicyId',
      ),
    ).toEqual({
      Ref: 'SiteAssetsCachePolicy',
    });
    expect(
      at(
        raw.Resources.SiteDistribution?.Properties,
        'DistributionConfig',
        'DefaultCacheBehavior',
        'CachePolicyId',
      ),
    ).toEqual({
      Ref: 'SiteDocumentsCachePolicy',
    });
    expect(documents?.PathPattern).toBeUndefined();
    expect(policy('SiteAssetsCachePolicy')).toMatchObject({
      MinTTL: 86400,
      DefaultTTL: 31536000,
      MaxTTL: 31536000,
    });
    expect(policy('SiteDocumentsCachePolicy')).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
    for (const id of ['SiteAssetsCachePolicy', 'SiteDocumentsCachePolicy']) {
      expect(at(policy(id), 'ParametersInCacheKeyAndForwardedToOrigin'), id).toMatchObject({
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      });
    }
  });

  it("sends the router's paths to /index.html and every file to the bucket as asked (a missing file stays a 404)", () => {
    const fn = props(deployed, 'SiteSpaRewriteFunction');
    expect(at(fn, 'FunctionConfig', 'Runtime')).toBe('cloudfront-js-2.0');
    expect(at(config(), 'DefaultCacheBehavior', 'FunctionAssociations')).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.stringContaining(':function/') },
    ]);
    const handler = new Function(`${String(fn.FunctionCode)}\nreturn handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const served = (uri: string) => handler({ request: { uri } }).uri;
    for (const uri of [
      '/',
      '/photos',
      '/photos/abc-123',
      '/photos/search',
      '/status',
      '/traces/1-2-3',
      '/sign-in',
      '/photos/a.b',
    ]) {
      expect(served(uri), uri).toBe('/index.html');
    }
    for (const uri of [
      '/assets/index-3f2a1b.js',
      '/assets/logo-1a.svg',
      '/config.json',
      '/favicon.svg',
      '/index.html',
    ]) {
      expect(served(uri), uri).toBe(uri);
    }
  });
});

describe('template.yaml: the response headers policy', () => {
  const security = () =>
    at(props(deployed, 'SiteHeadersPolicy'), 'ResponseHeadersPolicyConfig', 'SecurityHeadersConfig') as Raw;

  it('allows scripts and styles from the site only, and talks to exactly the API, Cognito and the photos bucket', () => {
    const csp = directives(String(at(security(), 'ContentSecurityPolicy', 'ContentSecurityPolicy')));
    const api = `https://${deployed.apis[0]?.id}.execute-api.${deployed.region}.amazonaws.com`;
    const cognito = `https://cognito-idp.${deployed.region}.amazonaws.com`;
    // The same name the bucket itself has (the CSP spells it out rather than !Ref it).
    const photos = `https://${props(deployed, 'PhotosBucket').BucketName}.s3.${deployed.region}.amazonaws.com`;
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", api, cognito, photos]);
    // The API too: the status page previews each public monitor's uptime badge (an SVG) as an image.
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:', api, photos]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(at(security(), 'ContentSecurityPolicy', 'Override')).toBe(true);
    // The template names the API by !Ref KumoApi, the region and suffix by pseudo parameters.
    expect(JSON.stringify(raw.Resources.SiteHeadersPolicy)).toContain(
      `https://\${KumoApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}`,
    );
  });

  it('sets HSTS, nosniff, no framing and no referrer', () => {
    expect(security()).toMatchObject({
      StrictTransportSecurity: { Override: true, AccessControlMaxAgeSec: 63072000 },
      ContentTypeOptions: { Override: true },
      FrameOptions: { Override: true, FrameOption: 'DENY' },
      ReferrerPolicy: { Override: true, ReferrerPolicy: 'no-referrer' },
    });
  });
});

describe('template.yaml: the web origin and the outputs', () => {
  const origins = (model: TemplateModel) => ({
    stageVariable: model.apis[0]?.stageVariables.webOrigin,
    preflight: model.apis[0]?.cors?.allowOrigin,
    photosBucket: at(props(model, 'PhotosBucket'), 'CorsConfiguration', 'CorsRules', 0, 'AllowedOrigins'),
    functions: [...new Set(model.functions.map((fn) => fn.environment.WEB_ORIGIN))],
    output: model.outputs.WebOrigin,
  });

  it("defaults to the distribution's own https origin everywhere (the functions through the stage)", () => {
    const site = `https://${String(deployed.outputs.SiteDistributionDomainName)}`;
    expect(origins(deployed)).toEqual({
      stageVariable: site,
      preflight: site,
      photosBucket: [site],
      // Blank: the functions may not depend on the distribution; the stage variable names it.
      functions: [''],
      output: site,
    });
    expect(deployed.outputs.SiteUrl).toBe(site);
    expect(deployed.outputs.SiteBucketName).toBe(props(deployed, 'SiteBucket').BucketName);
    expect(raw.Outputs.SiteDistributionId?.Value).toEqual({ Ref: 'SiteDistribution' });
  });

  it('follows a custom domain, with its certificate', async () => {
    const model = await readTemplate(templatePath, {
      parameterOverrides: {
        SiteDomainName: 'kumo.example.com',
        SiteCertificateArn:
          'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-1234567890ab',
      },
    });
    const site = 'https://kumo.example.com';
    expect(origins(model)).toEqual({
      stageVariable: site,
      preflight: site,
      photosBucket: [site],
      functions: [site],
      output: site,
    });
    expect(model.outputs.SiteUrl).toBe(site);
    const distribution = props(model, 'SiteDistribution').DistributionConfig as Raw;
    expect(distribution.Aliases).toEqual(['kumo.example.com']);
    expect(distribution.ViewerCertificate).toMatchObject({
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    expect(at(props(deployed, 'SiteDistribution'), 'DistributionConfig', 'ViewerCertificate')).toEqual({
      CloudFrontDefaultCertificate: true,
    });
  });

  it('takes a given WebOrigin as is (the local cloud: its own web server)', async () => {
    const model = await readTemplate(templatePath, {
      parameterOverrides: { WebOrigin: 'http://127.0.0.1:4500' },
    });
    const local = 'http://127.0.0.1:4500';
    expect(origins(model)).toEqual({
      stageVariable: local,
      preflight: local,
      photosBucket: [local],
      functions: [local],
      output: local,
    });
    expect(model.warnings).toEqual([]);
    expect(model.errors).toEqual([]);
  });
});
