import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { useConfig } from '../composables/useConfig';
import { AuthError } from '../lib/auth-error';
import type { CognitoAuth, CognitoTokens, SignUpResult } from '../lib/cognito';
import { readIdToken } from '../lib/jwt';

/** `unavailable`: config.json names no user pool; `restoring`: renewing a stored session at start. */
export type AuthStatus = 'unavailable' | 'restoring' | 'signedOut' | 'signedIn';

interface Session {
  idToken: string;
  accessToken: string;
  /** When the ID token expires (epoch ms). */
  expiresAt: number;
  sub: string;
  email?: string;
}

// The ID token lives an hour (template.yaml); renew it this long before it expires, so that a request
// never leaves with a token about to lapse.
const refreshMarginMs = 2 * 60_000;
const minRefreshDelayMs = 10_000;
const retryDelayMs = 30_000;
/** A token closer than this to its expiry is renewed before it is sent. */
const freshForMs = 60_000;

export const sessionExpiredMessage = 'Your session has expired. Sign in again.';

/**
 * Who is signed in. The ID and access tokens stay in memory only; the refresh token is kept in
 * localStorage so that a reload or a new tab stays signed in, and is renewed before the ID token
 * expires. Signing out (here or in another tab) forgets all three and revokes the refresh token.
 */
export const useAuthStore = defineStore('auth', () => {
  const authConfig = useConfig().auth;
  const storageKey = `kumo.auth.${authConfig?.userPoolClientId ?? 'none'}`;

  const status = ref<AuthStatus>(authConfig ? 'restoring' : 'unavailable');
  const session = shallowRef<Session>();
  /** Why the user was signed out without asking (expired session, failed restore); for the sign-in page. */
  const notice = ref<string>();

  const available = computed(() => status.value !== 'unavailable');
  const isSignedIn = computed(() => status.value === 'signedIn');
  const email = computed(() => session.value?.email);
  const userSub = computed(() => session.value?.sub);

  // ---- the SDK, loaded on first use
  let cognito: Promise<CognitoAuth> | undefined;
  function client(): Promise<CognitoAuth> {
    if (!authConfig) {
      return Promise.reject(
        new AuthError('Sign-in is not available: no user pool is configured.', 'Unavailable'),
      );
    }
    const config = authConfig;
    cognito ??= import('../lib/cognito').then(
      (module) => module.createCognitoAuth(config),
      (cause: unknown) => {
        cognito = undefined;
        throw new AuthError(
          'Could not load the sign-in code. Check your connection and reload.',
          'NetworkError',
          {
            cause,
          },
        );
      },
    );
    return cognito;
  }

  // ---- the refresh token in localStorage (which throws when storage is disabled)
  function storedRefreshToken(): string | undefined {
    try {
      return localStorage.getItem(storageKey) ?? undefined;
    } catch {
      return undefined;
    }
  }
  function storeRefreshToken(token: string | undefined) {
    try {
      if (token) localStorage.setItem(storageKey, token);
      else localStorage.removeItem(storageKey);
    } catch {
      // Storage disabled: the session lasts as long as the page.
    }
  }
  let memoryRefreshToken: string | undefined;
  const refreshToken = () => memoryRefreshToken ?? storedRefreshToken();

  // ---- the session
  let timer: ReturnType<typeof setTimeout> | undefined;
  function clearTimer() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }
  function scheduleRefresh(delayMs: number) {
    clearTimer();
    timer = setTimeout(() => {
      refresh().catch(() => {
        // Offline or the pool is down: keep the session and try again soon.
        if (session.value) scheduleRefresh(retryDelayMs);
      });
    }, delayMs);
  }

  function applyTokens(tokens: CognitoTokens) {
    const claims = readIdToken(tokens.idToken);
    session.value = {
      idToken: tokens.idToken,
      accessToken: tokens.accessToken,
      expiresAt: claims.exp * 1000,
      sub: claims.sub,
      email: claims.email,
    };
    if (tokens.refreshToken) {
      memoryRefreshToken = tokens.refreshToken;
      storeRefreshToken(tokens.refreshToken);
    }
    status.value = 'signedIn';
    notice.value = undefined;
    scheduleRefresh(Math.max(minRefreshDelayMs, claims.exp * 1000 - Date.now() - refreshMarginMs));
  }

  /** Forgets every token; `reason` is shown on the sign-in page. */
  function endSession(reason?: string) {
    clearTimer();
    session.value = undefined;
    memoryRefreshToken = undefined;
    storeRefreshToken(undefined);
    if (authConfig) status.value = 'signedOut';
    notice.value = reason;
  }

  let refreshing: Promise<string | undefined> | undefined;
  /**
   * Renews the tokens with the refresh token (REFRESH_TOKEN_AUTH). Resolves with the new ID token, or
   * undefined when the session is over (no refresh token, or the pool refused it: signed out). Rejects
   * when the pool could not be reached, keeping the session. Concurrent calls share one request.
   */
  function refresh(): Promise<string | undefined> {
    if (refreshing) return refreshing;
    const run = (async () => {
      const token = refreshToken();
      if (!token) {
        if (session.value) endSession(sessionExpiredMessage);
        return undefined;
      }
      try {
        applyTokens(await (await client()).refresh(token));
        return session.value?.idToken;
      } catch (error) {
        if (error instanceof AuthError && error.code === 'NotAuthorized') {
          endSession(sessionExpiredMessage);
          return undefined;
        }
        throw error;
      }
    })();
    refreshing = run;
    const clear = () => {
      if (refreshing === run) refreshing = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  async function restore(): Promise<void> {
    if (!authConfig) return;
    if (!storedRefreshToken()) {
      status.value = 'signedOut';
      return;
    }
    try {
      await refresh();
    } catch (error) {
      // Keep the refresh token: the next reload may reach the pool.
      status.value = 'signedOut';
      notice.value = `Could not restore your session: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  /** Settles once the stored session (if any) has been renewed or given up. Never rejects. */
  const ready = restore();

  /** The ID token for the API's Authorization header, renewed first when about to expire. */
  async function idToken(): Promise<string | undefined> {
    await ready;
    const current = session.value;
    if (!current) return undefined;
    if (current.expiresAt - Date.now() > freshForMs) return current.idToken;
    try {
      return await refresh();
    } catch {
      // Unreachable pool: send what we have; a 401 will say if it is too old.
      return current.idToken;
    }
  }

  // ---- the flows the views call; each rejects with an AuthError whose message is fit to show

  // Between sign-up and confirmation, in memory only, so that confirming signs the new user in
  // without typing the password again. A reload forgets it (the user then signs in).
  let pendingSignUp: { email: string; password: string } | undefined;

  async function signUp(address: string, password: string): Promise<SignUpResult> {
    const result = await (await client()).signUp(address, password);
    pendingSignUp = result.confirmed ? undefined : { email: address, password };
    return result;
  }

  /** Confirms the account; resolves true when it also signed the new user in. */
  async function confirmSignUp(address: string, code: string): Promise<boolean> {
    await (await client()).confirmSignUp(address, code);
    return signInPending(address);
  }

  /** After confirmation (or finding the account already confirmed): sign in if we still can. */
  async function signInPending(address: string): Promise<boolean> {
    const pending = pendingSignUp;
    pendingSignUp = undefined;
    if (!pending || pending.email.toLowerCase() !== address.toLowerCase()) return false;
    try {
      await signIn(pending.email, pending.password);
      return true;
    } catch {
      return false;
    }
  }

  async function resendCode(address: string): Promise<{ destination?: string }> {
    return (await client()).resendCode(address);
  }

  async function signIn(address: string, password: string): Promise<void> {
    applyTokens(await (await client()).signIn(address, password));
  }

  /** Signs out here at once, then revokes the refresh token at the pool (best effort). */
  async function signOut(): Promise<void> {
    const token = refreshToken();
    pendingSignUp = undefined;
    endSession();
    if (!token) return;
    try {
      await (await client()).revoke(token);
    } catch {
      // The tokens are gone from this browser; an unrevoked refresh token expires on its own.
    }
  }

  /** The API refused the session even after a refresh: sign out and say why. */
  function expire() {
    endSession(sessionExpiredMessage);
  }

  // Another tab signed out (the key went) or in (a new key while this tab is signed out).
  window.addEventListener('storage', (event) => {
    if (event.key !== storageKey && event.key !== null) return;
    if (!event.newValue && session.value) {
      endSession();
    } else if (event.newValue && !session.value && authConfig) {
      memoryRefreshToken = undefined;
      refresh().catch(() => {});
    }
  });

  return {
    status,
    notice,
    available,
    isSignedIn,
    email,
    userSub,
    ready,
    idToken,
    refresh,
    signUp,
    confirmSignUp,
    signInPending,
    resendCode,
    signIn,
    signOut,
    expire,
  };
});
