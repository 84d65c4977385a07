/**
 * Checks values against the schemas of an OpenAPI 3.0 document (docs/photos-api.yaml,
 * docs/health-api.yaml, docs/posts-api.yaml): the subset of JSON Schema the documents use — type,
 * properties, required, additionalProperties, minProperties, items, minItems/maxItems, enum, pattern,
 * minimum/maximum, minLength/maxLength, nullable, format date-time, oneOf/anyOf/allOf, $ref. Enough to
 * hold handler responses to the contract the web app reads; not a general validator.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A parsed OpenAPI document (the parts used here). */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, OpenApiResponse> };
}

interface OpenApiResponse {
  content?: Record<string, { schema: Schema }>;
  $ref?: string;
}

/** The documents of the three APIs, by name. */
export const apiDocuments = {
  health: 'docs/health-api.yaml',
  photos: 'docs/photos-api.yaml',
  posts: 'docs/posts-api.yaml',
} as const;

interface OpenApiOperation {
  responses: Record<string, OpenApiResponse>;
}

/** A JSON schema node. */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  nullable?: boolean;
  format?: string;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads an OpenAPI YAML file. */
export function loadOpenApi(file: URL | string): OpenApiDocument {
  return parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

function resolve<T extends { $ref?: string }>(doc: OpenApiDocument, node: T): T {
  if (node.$ref === undefined) return node;
  const [, , section, name] = node.$ref.split('/');
  const target = (doc.components as unknown as Record<string, Record<string, T>>)[section ?? '']?.[
    name ?? ''
  ];
  if (target === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
  return resolve(doc, target);
}

/** Every way `value` breaks `schema`, as `path: problem` lines (empty when it conforms). */
export function validate(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  const s = resolve(doc, schema);
  if (value === null) return s.nullable ? [] : [`${at}: is null`];
  const problems: string[] = [];
  for (const part of s.allOf ?? []) problems.push(...validate(doc, part, value, at));
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives !== undefined) {
    const matching = alternatives.filter((option) => validate(doc, option, value, at).length === 0).length;
    if (matching === 0) problems.push(`${at}: matches none of its ${s.oneOf ? 'oneOf' : 'anyOf'} schemas`);
    else if (s.oneOf && matching > 1) problems.push(`${at}: matches ${matching} of its oneOf schemas`);
  }
  const type = s.type;
  if (type === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: is not an object`];
    const record = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in record)) problems.push(`${at}.${key}: is required`);
    if (s.minProperties !== undefined && Object.keys(record).length < s.minProperties) {
      problems.push(`${at}: has fewer than ${s.minProperties} properties`);
    }
    for (const [key, inner] of Object.entries(record)) {
      const property = s.properties?.[key];
      if (property) problems.push(...validate(doc, property, inner, `${at}.${key}`));
      else if (s.additionalProperties === false) problems.push(`${at}.${key}: is not in the schema`);
      else if (typeof s.additionalProperties === 'object') {
        problems.push(...validate(doc, s.additionalProperties, inner, `${at}.${key}`));
      }
    }
  } else if (type === 'array') {
    if (!Array.isArray(value)) return [`${at}: is not an array`];
    if (s.minItems !== undefined && value.length < s.minItems) problems.push(`${at}: has too few items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) problems.push(`${at}: has too many items`);
    value.forEach((item, i) => {
      if (s.items) problems.push(...validate(doc, s.items, item, `${at}[${i}]`));
    });
  } else if (type === 'string') {
    if (typeof value !== 'string') return [`${at}: is not a string`];
    if (s.pattern && !new RegExp(s.pattern).test(value)) problems.push(`${at}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && value.length < s.minLength) problems.push(`${at}: is too short`);
    if (s.maxLength !== undefined && value.length > s.maxLength) problems.push(`${at}: is too long`);
    if (s.format === 'date-time' && !(ISO_DATE_TIME.test(value) && Number.isFinite(Date.parse(value)))) {
      problems.push(`${at}: is not an ISO 8601 date-time`);
    }
  } else if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || (type === 'integer' && !Number.isInteger(value))) {
      return [`${at}: is not an ${type}`];
    }
    if (s.minimum !== undefined && value < s.minimum) problems.push(`${at}: is below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) problems.push(`${at}: is above ${s.maximum}`);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean') return [`${at}: is not a boolean`];
  }
  if (s.enum && !s.enum.includes(value)) problems.push(`${at}: is not one of ${s.enum.join(', ')}`);
  return problems;
}

/**
 * Problems of a response body for `method path` with `status`, against the document's JSON schema for
 * it. A status the operation does not list is itself a problem.
 */
export function validateResponse(
  doc: OpenApiDocument,
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType = 'application/json',
): string[] {
  const operation = doc.paths[path]?.[method.toLowerCase()] as OpenApiOperation | undefined;
  if (!operation) return [`${method} ${path} is not in the document`];
  const declared = operation.responses[String(status)];
  if (!declared) return [`${method} ${path} does not document status ${status}`];
  const response = resolve(doc, declared);
  if (response.content === undefined) {
    return body === undefined || body === '' ? [] : [`${method} ${path} ${status} documents no body`];
  }
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const schema = response.content[mediaType]?.schema;
  if (!schema) {
    return [
      `${method} ${path} ${status} documents no ${mediaType} body (only ${Object.keys(response.content).join(', ')})`,
    ];
  }
  return validate(doc, schema, body);
}

/**
 * The document's path template that `url` (a path or URL, with or without the stage prefix and query
 * string) is an instance of for `method`: `/dev/monitors/abc/history?hours=2` -> `/monitors/{monitorId}/history`.
 * Literal segments win over parameters, as in API Gateway.
 */
export function pathTemplateOf(doc: OpenApiDocument, method: string, url: string): string | undefined {
  const pathname = new URL(url, 'http://localhost').pathname;
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const candidates = Object.keys(doc.paths)
    .filter((template) => method.toLowerCase() in (doc.paths[template] ?? {}))
    .map((template) => ({ template, parts: template.split('/').filter((part) => part !== '') }))
    .sort((a, b) => literalCount(b.parts) - literalCount(a.parts));
  // The stage (`/dev`) may or may not lead the path: try the path as given, then without its first segment.
  for (const offset of [0, 1]) {
    const rest = segments.slice(offset);
    const found = candidates.find(
      ({ parts }) =>
        parts.length === rest.length &&
        parts.every((part, i) => (part.startsWith('{') ? rest[i] !== '' : part === rest[i])),
    );
    if (found) return found.template;
  }
  return undefined;
}

function literalCount(parts: readonly string[]): number {
  return parts.filter((part) => !part.startsWith('{')).length;
}

/** What an API call answered, as the contract checks it. */
export interface ObservedResponse {
  status: number;
  /** Parsed JSON, the text of another media type, or undefined for no body. */
  body: unknown;
  /** The Content-Type header; JSON when absent. */
  contentType?: string | null;
}

/**
 * Throws, naming every problem, unless `response` to `method url` is one the document lists (the
 * route, the status) with a body matching its schema. For integration tests: every answer they get
 * from the local cloud goes through here.
 */
export function assertConforms(
  doc: OpenApiDocument,
  method: string,
  url: string,
  response: ObservedResponse,
): void {
  const template = pathTemplateOf(doc, method, url);
  const problems =
    template === undefined
      ? [`${method} ${url} matches no path of the document`]
      : validateResponse(
          doc,
          method,
          template,
          response.status,
          response.body,
          response.contentType ?? 'application/json',
        );
  if (problems.length > 0) {
    throw new Error(
      `${method} ${url} answered ${response.status}, which breaks the contract:\n  ${problems.join('\n  ')}\n` +
        `body: ${JSON.stringify(response.body)?.slice(0, 2000)}`,
    );
  }
}
