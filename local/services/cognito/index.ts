import { mkdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import path from 'node:path';
import { CognitoError, InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer as createCognitoApp } from 'cognito-local/lib/server/server.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import {
  DateClock,
  LambdaService,
  MessagesService,
  TriggersService,
} from 'cognito-local/lib/services/index.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import { isSupportedTarget } from 'cognito-local/lib/targets/Target.js';
import { close, listen } from '../../listen.js';
import type { LocalService, RunningService, ServiceContext } from '../../types.js';
import { LoggingMessageSender, type SentCode } from './message-sender.js';
import { appClient, passwordProblem, poolOptions } from './pool-options.js';
import { loadSigningKey } from './signing-key.js';
import { clientsFromModel, groupsFromModel, poolsFromModel, usesCognito, webPool } from './template-pools.js';
import { LocalTokenGenerator } from './token-generator.js';

export type { SentCode } from './message-sender.js';
export { poolIdFromArn } from './template-pools.js';

/** Where the recent confirmation codes are listed (JSON), for tests and scripts. */
export const CODES_PATH = '/_kumo/codes';

/** Options of the Cognito service; they win over kumo.local.json's `cognito` section. */
export interface CognitoOptions {
  autoConfirm?: boolean;
}

/** The running Cognito user pools emulator. */
export interface CognitoService extends RunningService {
  /** Pool ids by logical id, and app client ids by logical id. */
  pools: Readonly<Record<string, string>>;
  clients: Readonly<Record<string, string>>;
  /** The issuer of a pool's tokens: `<url>/<pool id>`. */
  issuer(userPoolId: string): string;
  /** Signs a payload with the local pools' key (tests build expired or odd tokens with it). */
  signToken(payload: Record<string, unknown>): string;
  /** Codes "sent" by e-mail or SMS, oldest first. */
  sentCodes(): SentCode[];
  /** What the web app needs in /config.json: `userPoolId`, `userPoolClientId`, `cognitoEndpoint`. */
  webConfig(): Record<string, string>;
}

/** Pino's interface as cognito-local and pino-http use it, printing nothing: the service logs its own lines. */
function silentLogger() {
  const logger: Record<string, unknown> = { level: 'silent', levels: { values: {}, labels: {} } };
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) logger[level] = () => undefined;
  logger.child = () => logger;
  logger.isLevelEnabled = () => false;
  return logger as never;
}

/**
 * Cognito user pools for the local cloud: cognito-local in-process (data in `.kumo/data/cognito`), every
 * pool and app client of the template created with the ids the template reader gives them, tokens signed
 * with a key made on this machine, the JWKS at `/<poolId>/.well-known/jwks.json`, and sign-up codes
 * printed in the log (or sign-ups confirmed at once with `"cognito": { "autoConfirm": true }`).
 */
export function createCognitoService(options: CognitoOptions = {}): LocalService {
  return {
    name: 'cognito',
    needed: usesCognito,
    start: (ctx) => startCognito(ctx, options),
  };
}

/** The Cognito service with default options, for the orchestrator. */
export const cognitoService: LocalService = createCognitoService();

async function startCognito(ctx: ServiceContext, options: CognitoOptions): Promise<CognitoService> {
  const dataDir = ctx.dataDir('cognito');
  if (ctx.fresh) await rm(dataDir, { recursive: true, force: true });
  const dbDir = path.join(dataDir, 'db');
  await mkdir(dbDir, { recursive: true });
  const autoConfirm = options.autoConfirm ?? ctx.config.cognito.autoConfirm;
  const key = await loadSigningKey(dataDir);

  const logger = silentLogger();
  const serviceCtx = { logger };
  const clock = new DateClock();
  const stores = new StormDBDataStoreFactory(dbDir);
  const cognito = await new CognitoServiceFactoryImpl(
    dbDir,
    stores,
    new UserPoolServiceFactoryImpl(clock, stores),
  ).create(serviceCtx, {});
  // No triggers run locally: a Lambda client and a KMS service that are never called (cognito-local's
  // CryptoService would load the whole AWS SDK v2 only to print its end-of-support notice).
  const triggers = new TriggersService(clock, cognito, new LambdaService({}, {} as never), {} as never);
  const sender = new LoggingMessageSender(ctx.log, autoConfirm);
  let url = '';
  const tokens = new LocalTokenGenerator(clock, key, () => url);
  const services = {
    clock,
    cognito,
    config: { TokenConfig: { IssuerDomain: '' }, UserPoolDefaults: {}, TriggerFunctions: {} } as never,
    messages: new MessagesService(triggers, new MessageDeliveryService(sender)),
    otp,
    tokenGenerator: tokens,
    triggers,
  };

  // The template's pools and clients, with the ids the template reader gives them.
  const now = new Date();
  const existing = new Map((await cognito.listUserPools(serviceCtx)).map((p) => [p.Id, p]));
  const pools = poolsFromModel(ctx.model);
  for (const pool of pools) {
    const saved = existing.get(pool.id);
    const wanted = poolOptions(pool, saved?.CreationDate ? new Date(saved.CreationDate) : now, now);
    if (saved) await (await cognito.getUserPool(serviceCtx, pool.id)).updateOptions(serviceCtx, wanted);
    else await cognito.createUserPool(serviceCtx, wanted);
    if (pool.properties.LambdaConfig !== undefined) {
      ctx.log.warn(`${pool.logicalId}: Cognito triggers (LambdaConfig) are not run by the local cloud`);
    }
  }
  const clients = clientsFromModel(ctx.model);
  for (const client of clients) {
    if (!pools.some((p) => p.id === client.userPoolId)) {
      ctx.log.warn(
        `${client.logicalId}: its UserPoolId ${client.userPoolId} is not a pool of the template; skipped`,
      );
      continue;
    }
    const saved = await cognito.getAppClient(serviceCtx, client.id);
    const created = saved?.CreationDate ? new Date(saved.CreationDate) : now;
    await (await cognito.getUserPool(serviceCtx, client.userPoolId)).saveAppClient(
      serviceCtx,
      appClient(client, created, now),
    );
  }

  // The template's groups (membership is kept across restarts; ID tokens carry `cognito:groups`).
  for (const group of groupsFromModel(ctx.model)) {
    if (!pools.some((p) => p.id === group.userPoolId)) {
      ctx.log.warn(
        `${group.logicalId}: its UserPoolId ${group.userPoolId} is not a pool of the template; skipped`,
      );
      continue;
    }
    const pool = await cognito.getUserPool(serviceCtx, group.userPoolId);
    // listGroups, not getGroupByGroupName: cognito-local's store fails on a pool that has no group yet.
    const saved = (await pool.listGroups(serviceCtx)).find((g) => g.GroupName === group.name);
    const { Description, Precedence, RoleArn } = group.properties;
    await pool.saveGroup(serviceCtx, {
      GroupName: group.name,
      ...(typeof Description === 'string' ? { Description } : {}),
      ...(typeof Precedence === 'number' ? { Precedence } : {}),
      ...(typeof RoleArn === 'string' ? { RoleArn } : {}),
      CreationDate: saved?.CreationDate ? new Date(saved.CreationDate) : now,
      LastModifiedDate: now,
      members: saved?.members ?? [],
    });
  }

  const router = Router(services as never);
  const warned = new Set<string>();
  const localRouter = (target: string) => {
    if (!isSupportedTarget(target)) {
      // cognito-local answers 500 CognitoLocal#Unsupported, which the SDKs retry: say it once, answer 400.
      if (!warned.has(target) && warned.size < 100) {
        warned.add(target);
        ctx.log.warn(
          `cognito: ${target.slice(0, 80)} is not supported by the Kumo local cloud (cognito-local)`,
        );
      }
      return async () => {
        throw new CognitoError(
          'UnknownOperationException',
          `${target.slice(0, 80)} is not supported by the Kumo local cloud (cognito-local)`,
        );
      };
    }
    const route = router(target);
    if (target === 'SignUp') {
      return async (routeCtx: never, req: Record<string, unknown>) => {
        const pool = await cognito.getUserPoolForClientId(serviceCtx, String(req.ClientId));
        const problem = passwordProblem(
          String(req.Password ?? ''),
          pool.options.Policies?.PasswordPolicy as never,
        );
        if (problem) throw new InvalidPasswordPolicyError(problem);
        const result = (await route(routeCtx, req as never)) as Record<string, unknown>;
        if (!autoConfirm || result.UserConfirmed) return result;
        const user = await pool.getUserByUsername(serviceCtx, String(req.Username));
        if (!user) return result;
        const attributes = user.Attributes.filter((a) => a.Name !== 'email_verified');
        if (attributes.some((a) => a.Name === 'email'))
          attributes.push({ Name: 'email_verified', Value: 'true' });
        await pool.saveUser(serviceCtx, {
          ...user,
          Attributes: attributes,
          UserStatus: 'CONFIRMED',
          ConfirmationCode: undefined,
          UserLastModifiedDate: new Date(),
        });
        return { UserConfirmed: true, UserSub: result.UserSub };
      };
    }
    if (target === 'ConfirmSignUp' || target === 'AdminConfirmSignUp') {
      // Confirming with the code sent by e-mail verifies the address, as Cognito does.
      return async (routeCtx: never, req: Record<string, unknown>) => {
        const result = await route(routeCtx, req as never);
        const pool =
          target === 'ConfirmSignUp'
            ? await cognito.getUserPoolForClientId(serviceCtx, String(req.ClientId))
            : await cognito.getUserPool(serviceCtx, String(req.UserPoolId));
        const user = await pool.getUserByUsername(serviceCtx, String(req.Username));
        const verifies = pool.options.AutoVerifiedAttributes?.includes('email') ?? false;
        if (user && verifies && user.Attributes.some((a) => a.Name === 'email')) {
          const attributes = user.Attributes.filter((a) => a.Name !== 'email_verified');
          attributes.push({ Name: 'email_verified', Value: 'true' });
          await pool.saveUser(serviceCtx, { ...user, Attributes: attributes });
        }
        return result;
      };
    }
    if (target === 'InitiateAuth' || target === 'AdminInitiateAuth') {
      // Cognito answers a wrong password or an unknown user alike (cognito-local says InvalidPassword).
      return async (routeCtx: never, req: never) => {
        try {
          return await route(routeCtx, req);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'InvalidPasswordException' || code === 'UserNotFoundException') {
            throw new NotAuthorizedError('Incorrect username or password.');
          }
          if (code === 'NotAuthorizedException' && (error as Error).message === 'User not authorized') {
            throw new NotAuthorizedError('Incorrect username or password.');
          }
          throw error;
        }
      };
    }
    return route;
  };
  const app = createCognitoApp(localRouter as never, logger, { development: false }, services as never)
    .application as RequestListener;

  const jwks = JSON.stringify({ keys: [key.publicJwk] });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const wellKnown = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(pathname);
    if (req.method === 'GET' && wellKnown) {
      const poolId = wellKnown[1] ?? '';
      if (!pools.some((p) => p.id === poolId) && !existing.has(poolId)) {
        sendJson(res, 404, { message: `User pool ${poolId} does not exist.` });
      } else if (wellKnown[2] === 'jwks.json') {
        sendText(res, 200, jwks);
      } else {
        sendJson(res, 200, {
          issuer: tokens.issuer(poolId),
          jwks_uri: `${tokens.issuer(poolId)}/.well-known/jwks.json`,
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          response_types_supported: ['code', 'token'],
        });
      }
      return;
    }
    if (req.method === 'GET' && pathname === CODES_PATH) {
      // The guard asked for the run's token and set the web app's CORS headers (local/guard).
      sendJson(res, 200, sender.recent());
      return;
    }
    app(req, res);
  });
  url = await listen(server, ctx.host, ctx.port('cognito'), 'cognito', {
    guard: ctx.guard,
    errors: 'aws',
  });

  const web = webPool(ctx.model);
  return {
    name: 'cognito',
    endpointKey: 'cognito_identity_provider',
    url,
    pools: Object.fromEntries(pools.map((p) => [p.logicalId, p.id])),
    clients: Object.fromEntries(clients.map((c) => [c.logicalId, c.id])),
    issuer: (poolId) => tokens.issuer(poolId),
    signToken: (payload) => tokens.sign(payload),
    sentCodes: () => sender.recent(),
    webConfig: () => ({
      ...(web ? { userPoolId: web.pool.id } : {}),
      ...(web?.client ? { userPoolClientId: web.client.id } : {}),
      cognitoEndpoint: url,
    }),
    stop: () => close(server),
  };
}

/** Cognito's InvalidPasswordException with the policy's reason. */
class InvalidPasswordPolicyError extends InvalidParameterError {
  constructor(reason: string) {
    super(`Password did not conform with policy: ${reason}`);
    (this as unknown as { code: string }).code = 'InvalidPasswordException';
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  sendText(res, status, JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
