/**
 * Who may do what with a monitor. Its owner manages it (edit, pause, resume, make public, delete) and
 * sees everything about it; members of the Cognito group `operators` manage every monitor. Anyone sees
 * a monitor its owner made public, in the redacted public view. A monitor someone may not see or
 * manage is answered as missing (404, never 403), so ids leak nothing.
 */
import { AppError, NotFoundError } from '../../lib/errors.js';
import type { MonitorRecord } from './types.js';

/** The Cognito user pool group whose members manage every monitor (template.yaml: OperatorsGroup). */
export const OPERATORS_GROUP = 'operators';

/** The signed-in caller, as the domain needs it. */
export interface Principal {
  sub: string;
  groups: readonly string[];
}

/** True for a member of {@link OPERATORS_GROUP}. */
export function isOperator(caller: Principal): boolean {
  return caller.groups.includes(OPERATORS_GROUP);
}

/** True when `caller` may see all of `record` and change it. */
export function canManage(record: MonitorRecord, caller: Principal): boolean {
  return isOperator(caller) || record.monitor.ownerId === caller.sub;
}

/**
 * The owner a conditional write must find on the item: the caller for a user (so the write itself
 * enforces ownership, whatever was read), the monitor's owner for an operator.
 */
export function expectedOwner(record: MonitorRecord, caller: Principal): string {
  return isOperator(caller) ? record.monitor.ownerId : caller.sub;
}

/** The 404 of a monitor that does not exist or that the caller may not see. */
export function monitorNotFound(monitorId: string): NotFoundError {
  return new NotFoundError(`Monitor ${monitorId} not found`);
}

/**
 * The record if `caller` may manage it.
 *
 * @throws {NotFoundError} when it does not exist or is someone else's (unless the caller is an operator)
 */
export function requireManageable(
  record: MonitorRecord | undefined,
  monitorId: string,
  caller: Principal,
): MonitorRecord {
  if (record === undefined || !canManage(record, caller)) throw monitorNotFound(monitorId);
  return record;
}

/**
 * The record if its owner made it public.
 *
 * @throws {NotFoundError} otherwise
 */
export function requirePublic(record: MonitorRecord | undefined, monitorId: string): MonitorRecord {
  if (record === undefined || !record.monitor.public) throw monitorNotFound(monitorId);
  return record;
}

/** 409 `QuotaExceeded`: the caller has as many monitors as a user may have. */
export class QuotaExceededError extends AppError {
  public readonly quota: number;

  public constructor(quota: number) {
    super(
      `Monitor quota reached: a user may have at most ${quota} monitor${quota === 1 ? '' : 's'}. Delete one to add another.`,
      'QuotaExceeded',
      409,
    );
    this.name = 'QuotaExceededError';
    this.quota = quota;
  }
}
