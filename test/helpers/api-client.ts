/**
 * One JSON request to the local API at `baseUrl`, as the web app sends it: `token` (an ID token) in
 * `Authorization`, or none when null. Answers the status, the parsed JSON body (undefined when empty,
 * typed as JSON.parse types it) and the headers.
 */
export async function callApi(
  baseUrl: string,
  method: string,
  route: string,
  body: unknown,
  token: string | null,
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
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
