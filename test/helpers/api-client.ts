import { assertConforms, type OpenApiDocument } from './openapi.js';

/**
 * One JSON request to the local API at `baseUrl`, as the web app sends it: `token` (an ID token) in
 * `Authorization`, or none when null. Answers the status, the parsed JSON body (undefined when empty,
 * typed as JSON.parse types it; the text for another media type) and the headers. With `contract`, the
 * answer must be one the OpenAPI document lists for the route, with a body matching its schema
 * (test/helpers/openapi.ts), or the call throws naming what differs.
 */
export async function callApi(
  baseUrl: string,
  method: string,
  route: string,
  body: unknown,
  token: string | null,
  contract?: OpenApiDocument,
) {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(token === null ? {} : { Authorization: token }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  const isJson = contentType === null || /^application\/(.+\+)?json\b/i.test(contentType);
  const parsed = text ? (isJson ? JSON.parse(text) : text) : undefined;
  if (contract !== undefined) {
    assertConforms(contract, method, route, { status: response.status, body: parsed, contentType });
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
