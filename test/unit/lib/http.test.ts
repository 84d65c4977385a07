import { describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  ValidationError,
} from '../../../functions/lib/errors.js';
import {
  corsHeadersFor,
  empty,
  errorResponse,
  etagMatches,
  etagOf,
  headerOf,
  json,
  MAX_JSON_BODY_BYTES,
  MAX_JSON_DEPTH,
  parseJsonBody,
} from '../../../functions/lib/http.js';
import { logger } from '../../../functions/lib/powertools.js';

describe('Function: json()', () => {
  it('serialises the body with JSON and CORS headers', () => {
    expect(json(201, { ok: true }, { Location: '/x' })).toEqual({
      statusCode: 201,
      headers: {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
        Vary: 'Origin',
        Location: '/x',
      },
      body: '{"ok":true}',
    });
  });
});

describe('Function: corsHeadersFor()', () => {
  it('names exactly the web origin, never *, and nothing without one', () => {
    expect(corsHeadersFor('https://photos.example.com')).toEqual({
      'Access-Control-Allow-Origin': 'https://photos.example.com',
      Vary: 'Origin',
    });
    expect(corsHeadersFor(undefined)).toEqual({});
    expect(corsHeadersFor('')).toEqual({});
  });
});

describe('Function: empty()', () => {
  it('is a 204 with CORS and no body', () => {
    expect(empty()).toEqual({
      statusCode: 204,
      headers: { 'Access-Control-Allow-Origin': 'http://127.0.0.1:4500', Vary: 'Origin' },
      body: '',
    });
  });
});

describe('Function: headerOf()', () => {
  it('finds a header whatever the case the client sent it in', () => {
    const event = { headers: { 'If-None-Match': '"a"', accept: 'image/svg+xml' } };
    expect(headerOf(event, 'if-none-match')).toBe('"a"');
    expect(headerOf(event, 'Accept')).toBe('image/svg+xml');
    expect(headerOf(event, 'origin')).toBeUndefined();
    expect(headerOf({ headers: {} }, 'origin')).toBeUndefined();
  });
});

describe('Function: etagOf() and etagMatches()', () => {
  it('gives the same quoted tag for the same body and another for another body', () => {
    const tag = etagOf('<svg>99%</svg>');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(etagOf('<svg>99%</svg>')).toBe(tag);
    expect(etagOf('<svg>98%</svg>')).not.toBe(tag);
  });

  it('matches the tag in an If-None-Match list, weak or strong, and `*`', () => {
    const tag = etagOf('body');
    expect(etagMatches(tag, tag)).toBe(true);
    expect(etagMatches(`"other", W/${tag}`, tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches('"other"', tag)).toBe(false);
    expect(etagMatches(undefined, tag)).toBe(false);
    expect(etagMatches('', tag)).toBe(false);
  });
});

describe('Function: parseJsonBody()', () => {
  it('parses JSON', () => {
    expect(parseJsonBody({ body: '{"a":[1]}', isBase64Encoded: false })).toEqual({ a: [1] });
  });

  it('decodes a base64 body first', () => {
    const body = Buffer.from('{"a":"é"}').toString('base64');
    expect(parseJsonBody({ body, isBase64Encoded: true })).toEqual({ a: 'é' });
  });

  it.each([null, ''])('refuses a missing body (%j)', (body) => {
    expect(() => parseJsonBody({ body, isBase64Encoded: false })).toThrow(
      new ValidationError('Request body is required (JSON)'),
    );
  });

  it('refuses invalid JSON with a ValidationError keeping the cause', () => {
    let caught: unknown;
    try {
      parseJsonBody({ body: '{"a":', isBase64Encoded: false });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toMatchObject({
      message: 'Request body is not valid JSON',
      cause: expect.any(SyntaxError),
    });
  });

  it('refuses a body over the limit with 413 PayloadTooLarge, counted in UTF-8 bytes', () => {
    const at = `"${'a'.repeat(MAX_JSON_BODY_BYTES - 2)}"`;
    expect(parseJsonBody({ body: at, isBase64Encoded: false })).toHaveLength(MAX_JSON_BODY_BYTES - 2);
    const over = `"${'é'.repeat(MAX_JSON_BODY_BYTES / 2)}"`;
    expect(() => parseJsonBody({ body: over, isBase64Encoded: false })).toThrow(
      new PayloadTooLargeError(`body: must be at most ${MAX_JSON_BODY_BYTES} bytes`),
    );
    const base64 = Buffer.alloc(MAX_JSON_BODY_BYTES + 1, 0x20).toString('base64');
    expect(() => parseJsonBody({ body: base64, isBase64Encoded: true })).toThrow(PayloadTooLargeError);
    expect(() => parseJsonBody({ body: '{}', isBase64Encoded: false }, { maxBytes: 1 })).toThrow(
      PayloadTooLargeError,
    );
  });

  it('refuses nesting deeper than the limit, brackets inside strings aside', () => {
    const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    expect(parseJsonBody({ body: deep(MAX_JSON_DEPTH), isBase64Encoded: false })).toBeInstanceOf(Array);
    expect(() => parseJsonBody({ body: deep(MAX_JSON_DEPTH + 1), isBase64Encoded: false })).toThrow(
      new ValidationError(`body: must not nest deeper than ${MAX_JSON_DEPTH} levels`),
    );
    const brackets = JSON.stringify({ a: '[[[[{{{{\\"'.repeat(20) });
    expect(parseJsonBody({ body: brackets, isBase64Encoded: false })).toEqual(JSON.parse(brackets));
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key at any depth', (key) => {
    for (const body of [`{"${key}":{"admin":true}}`, `{"a":[{"b":{"${key}":1}}]}`]) {
      expect(() => parseJsonBody({ body, isBase64Encoded: false })).toThrow(
        new ValidationError(`body: field "${key}" is not allowed`),
      );
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses a base64 body that is not UTF-8', () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64');
    expect(() => parseJsonBody({ body, isBase64Encoded: true })).toThrow(
      new ValidationError('body: must be UTF-8 encoded JSON'),
    );
  });
});

describe('Function: errorResponse()', () => {
  it('maps an AppError to its status with { message, code }', () => {
    const response = errorResponse(new ConflictError('exists'));
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toEqual({ message: 'exists', code: 'Conflict' });
    expect(response.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'http://127.0.0.1:4500',
      Vary: 'Origin',
    });
  });

  it('adds Allow to a 405', () => {
    expect(errorResponse(new MethodNotAllowedError('PUT', ['GET', 'DELETE'])).headers).toMatchObject({
      Allow: 'GET, DELETE',
    });
  });

  it('answers anything else with a generic 500 and logs it with the request id', () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const fault = new TypeError('secret detail');
    const response = errorResponse(fault, 'req-1');
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: 'Internal error', code: 'InternalError' });
    expect(response.body).not.toContain('secret');
    expect(log).toHaveBeenCalledWith('Unhandled error', { requestId: 'req-1', error: fault });
    log.mockRestore();
  });

  it('logs a thrown non-Error as a string', () => {
    const log = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    errorResponse('oops', 'req-2');
    expect(log).toHaveBeenCalledWith('Unhandled error', { requestId: 'req-2', error: 'oops' });
    log.mockRestore();
  });
});
