/**
 * Checks values against the schemas of an OpenAPI 3.0 document (docs/photos-api.yaml): the subset of
 * JSON Schema the document uses — type, properties, required, additionalProperties, items, enum,
 * pattern, minimum/maximum, minLength/maxLength, nullable, $ref. Enough to hold handler responses to
 * the contract the web app reads; not a general validator.
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
  nullable?: boolean;
}

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
  const type = s.type;
  if (type === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: is not an object`];
    const record = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in record)) problems.push(`${at}.${key}: is required`);
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
    value.forEach((item, i) => {
      if (s.items) problems.push(...validate(doc, s.items, item, `${at}[${i}]`));
    });
  } else if (type === 'string') {
    if (typeof value !== 'string') return [`${at}: is not a string`];
    if (s.pattern && !new RegExp(s.pattern).test(value)) problems.push(`${at}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && value.length < s.minLength) problems.push(`${at}: is too short`);
    if (s.maxLength !== undefined && value.length > s.maxLength) problems.push(`${at}: is too long`);
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
): string[] {
  const operation = doc.paths[path]?.[method.toLowerCase()] as OpenApiOperation | undefined;
  if (!operation) return [`${method} ${path} is not in the document`];
  const declared = operation.responses[String(status)];
  if (!declared) return [`${method} ${path} does not document status ${status}`];
  const response = resolve(doc, declared);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? [] : [`${method} ${path} ${status} documents no body`];
  return validate(doc, schema, body);
}
