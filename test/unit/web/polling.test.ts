import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';

// usePageVisible reads `document`: a visible page is all the polling needs here.
const listeners = new Set<() => void>();
vi.stubGlobal('document', {
  visibilityState: 'visible',
  addEventListener: (_: string, listener: () => void) => listeners.add(listener),
  removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
});

// Imported by a path the root typecheck does not follow: the web app's own modules import each other
// without extensions (Vite), which the root's NodeNext resolution refuses; vitest resolves them.
type UsePolling = (
  task: (signal: AbortSignal) => Promise<void>,
  intervalMs: number,
) => { refresh(): Promise<void> };
const pollingModule = '../../../web/src/composables/usePolling.ts';
const { usePolling } = (await import(pollingModule)) as { usePolling: UsePolling };

describe('usePolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs again right after the run in flight when refreshed during it (signing in during the first load)', async () => {
    const seen: string[] = [];
    let state = 'signed out';
    let finish: (() => void) | undefined;
    const scope = effectScope();
    const polling = scope.run(() =>
      usePolling(async () => {
        seen.push(state);
        if (seen.length === 1) await new Promise<void>((resolve) => (finish = resolve));
      }, 15_000),
    );
    if (!polling) throw new Error('no polling');
    // The first load is in flight when the user signs in and the page asks for a refresh.
    state = 'signed in';
    const refreshed = polling.refresh();
    finish?.();
    await refreshed;
    expect(seen).toEqual(['signed out', 'signed in']);
    // Then it polls on its interval, not sooner.
    await vi.advanceTimersByTimeAsync(14_000);
    expect(seen).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(seen).toHaveLength(3);
    scope.stop();
  });

  it('a refresh when nothing is in flight runs once', async () => {
    let runs = 0;
    const scope = effectScope();
    const polling = scope.run(() =>
      usePolling(async () => {
        runs += 1;
      }, 15_000),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await polling?.refresh();
    expect(runs).toBe(2);
    scope.stop();
  });
});
