/**
 * Application errors. Every error a handler means to show its caller is an {@link AppError}: it carries
 * the HTTP status and a stable `code`, and `http.ts` turns it into a response in one place. Anything
 * else that escapes a handler is a fault: logged, and answered with a generic 500.
 */

/** Options shared by every {@link AppError} subclass. */
export interface AppErrorOptions {
  /** The error that caused this one, kept for the logs; never sent to the caller. */
  cause?: unknown;
}

/** Base class of every error that maps to an HTTP response. */
export class AppError extends Error {
  /** Stable, machine-readable code sent to the caller as `code`. */
  public readonly code: string;
  /** HTTP status code of the response. */
  public readonly statusCode: number;

  public constructor(message: string, code: string, statusCode: number, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

/** 400: the request is malformed or a field is invalid. The message names the field. */
export class ValidationError extends AppError {
  public constructor(message: string, options: AppErrorOptions = {}) {
    super(message, 'ValidationError', 400, options);
    this.name = 'ValidationError';
  }
}

/** 401: no valid credentials. */
export class UnauthorizedError extends AppError {
  public constructor(message = 'Unauthorized', options: AppErrorOptions = {}) {
    super(message, 'Unauthorized', 401, options);
    this.name = 'UnauthorizedError';
  }
}

/** 403: credentials are valid but do not allow this action. */
export class ForbiddenError extends AppError {
  public constructor(message = 'Forbidden', options: AppErrorOptions = {}) {
    super(message, 'Forbidden', 403, options);
    this.name = 'ForbiddenError';
  }
}

/** 404: the resource (or route) does not exist. */
export class NotFoundError extends AppError {
  public constructor(message = 'Not found', options: AppErrorOptions = {}) {
    super(message, 'NotFound', 404, options);
    this.name = 'NotFoundError';
  }
}

/** 405: the route exists but not with this method. `allow` lists the methods it accepts. */
export class MethodNotAllowedError extends AppError {
  public readonly allow: readonly string[];

  public constructor(method: string, allow: readonly string[], options: AppErrorOptions = {}) {
    super(`Method ${method} not allowed`, 'MethodNotAllowed', 405, options);
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}

/** 413: the request body is larger than the route accepts. */
export class PayloadTooLargeError extends AppError {
  public constructor(message = 'Request body is too large', options: AppErrorOptions = {}) {
    super(message, 'PayloadTooLarge', 413, options);
    this.name = 'PayloadTooLargeError';
  }
}

/** 409: the request conflicts with existing state (for example a duplicate). */
export class ConflictError extends AppError {
  public constructor(message = 'Conflict', options: AppErrorOptions = {}) {
    super(message, 'Conflict', 409, options);
    this.name = 'ConflictError';
  }
}
