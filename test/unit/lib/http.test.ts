import { describe, expect, it, vi } from 'vitest';
import { ConflictError, MethodNotAllowedError, ValidationError } from '../../../functions/lib/errors.js';
import { empty, errorResponse, json, parseJsonBody } from '../../../functions/lib/http.js';
import { logger } from '../../../functions/lib/powertools.js';

describe('Function: json()', () => {
  it('serialises the body with JSON and CORS headers', () => {
    expect(json(201, { ok: true }, { Location: '/x' })).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', Location: '/x' },
      body: '{"ok":true}',
    });
  });
});

describe('Function: empty()', () => {
  it('is a 204 with CORS and no body', () => {
    expect(empty()).toEqual({ statusCode: 204, headers: { 'Access-Control-Allow-Origin': '*' }, body: '' });
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
});

describe('Function: errorResponse()', () => {
  it('maps an AppError to its status with { message, code }', () => {
    const response = errorResponse(new ConflictError('exists'));
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toEqual({ message: 'exists', code: 'Conflict' });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
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
