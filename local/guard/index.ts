export {
  CONTROL_PREFIX,
  createHttpGuard,
  type GuardCheckOptions,
  type GuardRequest,
  type GuardVerdict,
  type HttpGuard,
  type HttpGuardOptions,
  LOOPBACK_HOSTS,
  newRunToken,
  OPEN_CONTROL_PATHS,
  originOf,
  type RefusalCode,
  TOKEN_HEADER,
  webOriginsFor,
} from './http-guard.js';
export { type Protection, protect } from './protect.js';
export { type Refusal, type RefusalResponse, type RefusalStyle, refusalResponse } from './refusal.js';
