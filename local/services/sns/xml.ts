/** The namespace SNS puts on every XML response (http, as the service and botocore's model spell it). */
export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** An operation's output: strings, numbers, booleans, lists, structures and maps (as `Map`). */
export type Output =
  | string
  | number
  | boolean
  | undefined
  | Output[]
  | Map<string, string>
  | { [key: string]: Output };

/** `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...` as the query protocol answers. */
export function resultXml(action: string, output: Output, requestId: string): string {
  const result = output === undefined ? '' : `<${action}Result>${toXml(output)}</${action}Result>`;
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${SNS_XML_NAMESPACE}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`
  );
}

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function errorXml(type: string, code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${SNS_XML_NAMESPACE}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>\n`
  );
}

function toXml(value: Output): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value instanceof Map) {
    return [...value]
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(v)}</value></entry>`)
      .join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
