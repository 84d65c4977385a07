/**
 * Helpers for API Gateway REST (v1) proxy integrations: JSON responses with CORS headers, JSON body
 * parsing, and the one place where errors become HTTP responses.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { AppError, MethodNotAllowedError, ValidationError } from './errors.js';
import { logger } from './powertools.js';

/** Headers sent with every API response. */
export const corsHeaders: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
};

/** A JSON error body, as documented for every API: `{ message, code }`. */
export interface ErrorBody {
  message: string;
  code: string;
}

/**
 * A JSON response with the CORS headers.
 *
 * @param statusCode - HTTP status code
 * @param body - value serialised with `JSON.stringify`
 * @param headers - extra headers, merged over the defaults
 */
export function json(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...corsHeaders, ...headers },
    body: JSON.stringify(body),
  };
}

/** An empty response (for example `204 No Content`) with the CORS headers. */
export function empty(
  statusCode = 204,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return { statusCode, headers: { ...corsHeaders, ...headers }, body: '' };
}

/**
 * The request body parsed as JSON (base64 bodies are decoded first).
 *
 * @throws {ValidationError} when the body is missing or is not valid JSON
 */
export function parseJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new ValidationError('Request body is required (JSON)');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError('Request body is not valid JSON', { cause: error });
  }
}

/**
 * Map any error to an HTTP response; the only place that does so. An {@link AppError} becomes its
 * status with `{ message, code }`; anything else is a fault: logged with the request id, answered
 * with a generic 500 that reveals nothing.
 */
export function errorResponse(error: unknown, requestId?: string): APIGatewayProxyResult {
  if (error instanceof AppError) {
    const body: ErrorBody = { message: error.message, code: error.code };
    const headers: Record<string, string> =
      error instanceof MethodNotAllowedError ? { Allow: error.allow.join(', ') } : {};
    return json(error.statusCode, body, headers);
  }
  logger.error('Unhandled error', { requestId, error: error instanceof Error ? error : String(error) });
  const body: ErrorBody = { message: 'Internal error', code: 'InternalError' };
  return json(500, body);
}
