import { describe, expect, it } from 'vitest';
import {
  canManage,
  expectedOwner,
  isOperator,
  QuotaExceededError,
  requireManageable,
  requirePublic,
} from '../../../../functions/health/domain/access.js';
import { errorResponse } from '../../../../functions/lib/http.js';
import { makeMonitor, makeRecord } from '../../../helpers/factories.js';

const alice = { sub: 'alice-sub', groups: [] };
const bob = { sub: 'bob-sub', groups: ['readers'] };
const operator = { sub: 'op-sub', groups: ['operators'] };
const record = makeRecord(makeMonitor({}, { ownerId: 'alice-sub' }));

describe('Function: canManage()', () => {
  it('lets the owner and the operators manage a monitor, nobody else', () => {
    expect(canManage(record, alice)).toBe(true);
    expect(canManage(record, operator)).toBe(true);
    expect(canManage(record, bob)).toBe(false);
    expect(isOperator(bob)).toBe(false);
  });
});

describe('Function: expectedOwner()', () => {
  it('is the caller for a user and the stored owner for an operator', () => {
    expect(expectedOwner(record, alice)).toBe('alice-sub');
    expect(expectedOwner(record, bob)).toBe('bob-sub');
    expect(expectedOwner(record, operator)).toBe('alice-sub');
  });
});

describe('Function: requireManageable()', () => {
  it('answers a foreign monitor exactly like a missing one: 404, never 403', () => {
    const foreign = () => requireManageable(record, 'the-id', bob);
    const missing = () => requireManageable(undefined, 'the-id', bob);
    expect(foreign).toThrow('Monitor the-id not found');
    expect(missing).toThrow('Monitor the-id not found');
    try {
      foreign();
    } catch (error) {
      expect(errorResponse(error).statusCode).toBe(404);
    }
    expect(requireManageable(record, 'the-id', alice)).toBe(record);
  });
});

describe('Function: requirePublic()', () => {
  it('finds only a public monitor', () => {
    expect(() => requirePublic(record, 'x')).toThrow('Monitor x not found');
    const open = makeRecord(makeMonitor({}, { public: true }));
    expect(requirePublic(open, 'x')).toBe(open);
  });
});

describe('Class: QuotaExceededError', () => {
  it('is a 409 QuotaExceeded naming the limit', () => {
    const response = errorResponse(new QuotaExceededError(50));
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toEqual({
      message: 'Monitor quota reached: a user may have at most 50 monitors. Delete one to add another.',
      code: 'QuotaExceeded',
    });
  });
});
