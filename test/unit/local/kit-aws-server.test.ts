import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { cbor } from '@smithy/core/cbor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError, type AwsServiceSpec, awsRequestListener } from '../../../local/kit/index.js';
import type { LocalLogger } from '../../../local/types.js';

/** A made-up service with one operation of each kind the kit must handle. */
class DemoError extends AwsError {
  override readonly name = 'DemoError';
}
const errors: string[] = [];
const log: LocalLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: (message) => errors.push(message),
  event: () => undefined,
};

const spec: AwsServiceSpec = {
  name: 'demo',
  operations: {
    Echo: (input) => ({
      Got: input,
      At: new Date(1_700_000_000_000),
      Tags: new Map([['a', '1']]),
      None: undefined,
    }),
    Nothing: () => undefined,
    Refuse: () => {
      throw new DemoError('Demo.NoSuchThing', 'There is no such thing.', {
        shape: 'NoSuchThingException',
        status: 404,
      });
    },
    Crash: () => {
      throw new Error('secret internals');
    },
    Slow: async (_input, { signal, requestId }) => ({ aborted: signal.aborted, requestId }),
  },
  json: { target: 'DemoService_2024', version: '1.0' },
  cbor: { service: 'DemoService_2024' },
  query: { xmlNamespace: 'http://demo.amazonaws.com/doc/2024-01-01/' },
  errorShape: { namespace: 'com.amazonaws.demo', queryCompatible: true },
  maxBodyBytes: 1024,
  errors: {
    unknownOperation: (operation) => new DemoError('InvalidAction', `${operation} is not served`),
    malformed: (message) => new DemoError('MalformedInput', message),
    tooLarge: () => new DemoError('RequestTooLarge', 'Too large', { status: 413 }),
    internal: () => new DemoError('InternalFailure', 'Internal failure', { fault: 'Receiver' }),
  },
  log,
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(awsRequestListener(spec));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
});

const json = (operation: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(base, {
    method: 'POST',
    headers: {
      'X-Amz-Target': `DemoService_2024.${operation}`,
      'Content-Type': 'application/x-amz-json-1.0',
      ...headers,
    },
    body,
  });
const query = (params: Record<string, string>) =>
  fetch(base, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });

describe('Function: awsRequestListener() — AWS JSON protocol', () => {
  it('dispatches on X-Amz-Target and answers JSON with a request id (Dates as epoch seconds, Maps as objects)', async () => {
    const response = await json('Echo', '{"Name":"x"}');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ Got: { Name: 'x' }, At: 1_700_000_000, Tags: { a: '1' } });
  });

  it('answers an AwsError with its status, `__type` shape, message and the awsQueryCompatible header', async () => {
    const response = await json('Refuse', '{}');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-query-error')).toBe('Demo.NoSuchThing;Sender');
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.demo#NoSuchThingException',
      message: 'There is no such thing.',
    });
  });

  it('answers an unknown operation, a body that is not a JSON object, and one over the limit with the service errors', async () => {
    const unknown = await json('Nope', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      __type: 'com.amazonaws.demo#InvalidAction',
      message: 'Nope is not served',
    });
    for (const body of ['{not json', '[1,2]', '"text"']) {
      const malformed = await json('Echo', body);
      expect(malformed.status, body).toBe(400);
      expect(await malformed.json()).toMatchObject({ __type: 'com.amazonaws.demo#MalformedInput' });
    }
    const large = await json('Echo', JSON.stringify({ pad: 'x'.repeat(2000) }));
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ __type: 'com.amazonaws.demo#RequestTooLarge' });
  });

  it('decodes gzip bodies, and refuses one that is not gzip', async () => {
    const zipped = await json('Echo', gzipSync('{"Zipped":true}'), { 'Content-Encoding': 'gzip' });
    expect(await zipped.json()).toMatchObject({ Got: { Zipped: true } });
    const broken = await json('Echo', 'plain', { 'Content-Encoding': 'gzip' });
    expect(await broken.json()).toMatchObject({ message: 'The request body is not valid gzip.' });
  });

  it('answers an unexpected error with the internal error, a 500 without its message, and logs it with the request id', async () => {
    const response = await json('Crash', '{}');
    expect(response.status).toBe(500);
    expect(response.headers.get('x-amzn-query-error')).toBe('InternalFailure;Receiver');
    const text = await response.text();
    expect(text).not.toContain('secret internals');
    expect(errors.at(-1)).toBe(
      `demo: request ${response.headers.get('x-amzn-requestid')} failed in the local cloud: Error: secret internals`,
    );
  });

  it('passes the request id and the stop signal to operations', async () => {
    const response = await json('Slow', '{}');
    expect(await response.json()).toEqual({
      aborted: false,
      requestId: response.headers.get('x-amzn-requestid'),
    });
  });
});

describe('Function: awsRequestListener() — AWS Query protocol', () => {
  it('dispatches on Action, parses members and entries, and answers XML', async () => {
    const response = await query({
      Action: 'Echo',
      Version: '2024-01-01',
      'Names.member.1': 'a',
      'Names.member.2': 'b',
    });
    expect(response.headers.get('content-type')).toBe('text/xml');
    const id = response.headers.get('x-amzn-requestid');
    expect(await response.text()).toBe(
      '<?xml version="1.0"?>\n<EchoResponse xmlns="http://demo.amazonaws.com/doc/2024-01-01/"><EchoResult>' +
        '<Got><Names><member>a</member><member>b</member></Names></Got><At>2023-11-14T22:13:20.000Z</At>' +
        '<Tags><entry><key>a</key><value>1</value></entry></Tags></EchoResult>' +
        `<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></EchoResponse>\n`,
    );
  });

  it('answers GET with Action too, and an operation without output without a Result element', async () => {
    const response = await fetch(`${base}/?Action=Nothing`);
    expect(await response.text()).toContain(
      '<NothingResponse xmlns="http://demo.amazonaws.com/doc/2024-01-01/"><ResponseMetadata>',
    );
  });

  it('answers errors as <ErrorResponse> with Type, Code and Message, escaped', async () => {
    const response = await query({ Action: 'Refuse' });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain(
      '<Error><Type>Sender</Type><Code>Demo.NoSuchThing</Code><Message>There is no such thing.</Message></Error>',
    );
    const unknown = await query({ Action: '<script>' });
    expect(await unknown.text()).toContain('<Message>&#60;script&#62; is not served</Message>');
  });
});

describe('Function: awsRequestListener() — Smithy RPC v2 CBOR', () => {
  const cborCall = (operation: string, body: unknown) =>
    fetch(`${base}/service/DemoService_2024/operation/${operation}`, {
      method: 'POST',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor' },
      body: Buffer.from(cbor.serialize(body)),
    });

  it('dispatches on the path and answers CBOR (Dates as epoch-seconds tags)', async () => {
    const response = await cborCall('Echo', { Name: 'x' });
    expect(response.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    const output = cbor.deserialize(new Uint8Array(await response.arrayBuffer())) as Record<string, unknown>;
    expect(output.Got).toEqual({ Name: 'x' });
    expect(output.At).toMatchObject({ tag: 1, value: 1_700_000_000 });
  });

  it('answers errors in CBOR with the same `__type` and header', async () => {
    const response = await cborCall('Refuse', {});
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-query-error')).toBe('Demo.NoSuchThing;Sender');
    expect(cbor.deserialize(new Uint8Array(await response.arrayBuffer()))).toEqual({
      __type: 'com.amazonaws.demo#NoSuchThingException',
      message: 'There is no such thing.',
    });
  });
});

describe('Function: awsRequestListener() — requests no protocol matches', () => {
  it('answers a JSON-only service with notServed in JSON, and keeps the service’s message keys', async () => {
    const jsonOnly = createServer(
      awsRequestListener({
        name: 'only',
        operations: { Echo: (input) => input },
        json: { target: 'Only', version: '1.1' },
        errorShape: { messageKeys: ['Message'], errorTypeHeader: true },
        errors: {
          unknownOperation: (operation) => new AwsError('UnknownOperationException', `${operation}?`),
          notServed: () =>
            new AwsError('UnknownOperationException', 'Only the Only JSON protocol is served here'),
          malformed: (message) => new AwsError('SerializationException', message),
          internal: () => new AwsError('InternalServerError', 'Internal', { fault: 'Receiver' }),
        },
      }),
    );
    jsonOnly.listen(0, '127.0.0.1');
    await once(jsonOnly, 'listening');
    const url = `http://127.0.0.1:${(jsonOnly.address() as AddressInfo).port}`;
    try {
      const get = await fetch(url);
      expect(get.status).toBe(400);
      expect(get.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(get.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(await get.json()).toEqual({
        __type: 'UnknownOperationException',
        Message: 'Only the Only JSON protocol is served here',
      });
      const other = await fetch(url, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'Other.Echo' },
        body: '{}',
      });
      expect(await other.json()).toMatchObject({ __type: 'UnknownOperationException' });
      const served = await fetch(url, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'Only.Echo' },
        body: '{"a":1}',
      });
      expect(await served.json()).toEqual({ a: 1 });
    } finally {
      jsonOnly.close();
    }
  });
});

describe('Class: AwsError', () => {
  it('defaults to a Sender fault, status 400 and the code as its shape; a Receiver fault is a 500', () => {
    const sender = new AwsError('ThrottlingException', 'Slow down');
    expect([sender.status, sender.fault, sender.shape, sender.message]).toEqual([
      400,
      'Sender',
      'ThrottlingException',
      'Slow down',
    ]);
    expect(new AwsError('InternalError', 'x', { fault: 'Receiver' }).status).toBe(500);
    expect(new DemoError('Code', 'm', { shape: 'Shape', status: 409 })).toMatchObject({
      code: 'Code',
      shape: 'Shape',
      status: 409,
    });
  });
});
