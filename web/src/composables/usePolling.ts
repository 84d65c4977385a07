import { onScopeDispose, type Ref, readonly, ref, watch } from 'vue';
import { usePageVisible } from './usePageVisible';

export interface Polling {
  /** When the last run finished (epoch ms); undefined before the first one. */
  lastRunAt: Readonly<Ref<number | undefined>>;
  running: Readonly<Ref<boolean>>;
  /** Runs the task now (or joins the run in flight) and restarts the interval. */
  refresh(): Promise<void>;
}

/**
 * Runs `task` now and then `intervalMs` after each run ends, so slow runs never overlap. Pauses while
 * the tab is hidden and catches up as soon as it is visible again. Stops with the calling scope.
 */
export function usePolling(task: (signal: AbortSignal) => Promise<void>, intervalMs: number): Polling {
  const visible = usePageVisible();
  const lastRunAt = ref<number>();
  const running = ref(false);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;

  function clearTimer() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  function schedule() {
    clearTimer();
    if (!visible.value || controller.signal.aborted) return;
    const elapsed = lastRunAt.value === undefined ? intervalMs : Date.now() - lastRunAt.value;
    timer = setTimeout(run, Math.max(0, intervalMs - elapsed));
  }

  // A refresh asked for while a run is in flight (signing in during the first load) runs again right
  // after it: the run in flight may have started with what the page could show before.
  let again = false;

  function run(): Promise<void> {
    clearTimer();
    if (inFlight !== undefined) {
      again = true;
      // Settles with the run that follows (started as the one in flight ends).
      return inFlight.then(() => inFlight);
    }
    inFlight = (async () => {
      running.value = true;
      try {
        await task(controller.signal);
      } catch (error) {
        // The task owns its error state; a throw here must not stop the polling.
        if (!controller.signal.aborted) console.error('Polling task failed', error);
      } finally {
        running.value = false;
        lastRunAt.value = Date.now();
        inFlight = undefined;
        if (again && !controller.signal.aborted) {
          again = false;
          void run();
        } else schedule();
      }
    })();
    return inFlight;
  }

  watch(visible, (isVisible) => (isVisible ? schedule() : clearTimer()));
  onScopeDispose(() => {
    controller.abort();
    clearTimer();
  });
  void run();

  return { lastRunAt: readonly(lastRunAt), running: readonly(running), refresh: run };
}
