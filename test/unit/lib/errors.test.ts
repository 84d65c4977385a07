import { describe, expect, it } from 'vitest';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '../../../functions/lib/errors.js';

describe('Class: AppError', () => {
  it('carries message, code, status and cause', () => {
    const cause = new Error('low level');
    const error = new AppError('Teapot', 'Teapot', 418, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'AppError',
      message: 'Teapot',
      code: 'Teapot',
      statusCode: 418,
      cause,
    });
  });

  it('has no cause unless given one', () => {
    expect(new AppError('x', 'X', 400)).not.toHaveProperty('cause');
  });

  it.each([
    [new ValidationError('url: is required'), 'ValidationError', 'ValidationError', 400, 'url: is required'],
    [new UnauthorizedError(), 'UnauthorizedError', 'Unauthorized', 401, 'Unauthorized'],
    [new ForbiddenError(), 'ForbiddenError', 'Forbidden', 403, 'Forbidden'],
    [new NotFoundError('Monitor m not found'), 'NotFoundError', 'NotFound', 404, 'Monitor m not found'],
    [new PayloadTooLargeError(), 'PayloadTooLargeError', 'PayloadTooLarge', 413, 'Request body is too large'],
    [
      new MethodNotAllowedError('PUT', ['GET']),
      'MethodNotAllowedError',
      'MethodNotAllowed',
      405,
      'Method PUT not allowed',
    ],
    [new ConflictError('exists'), 'ConflictError', 'Conflict', 409, 'exists'],
  ])('%s has name %s, code %s and status %i', (error, name, code, statusCode, message) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name, code, statusCode, message });
  });

  it('keeps the allowed methods of a 405', () => {
    expect(new MethodNotAllowedError('PUT', ['GET', 'POST']).allow).toEqual(['GET', 'POST']);
  });
});
