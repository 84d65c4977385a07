import { onScopeDispose, type Ref, readonly, ref, watch } from 'vue';
import { usePageVisible } from './usePageVisible';

/** The current time (epoch ms), ticking every `intervalMs` while the tab is visible. */
export function useNow(intervalMs = 1000): Readonly<Ref<number>> {
  const now = ref(Date.now());
  const visible = usePageVisible();
  let timer: ReturnType<typeof setInterval> | undefined;

  function start() {
    stop();
    now.value = Date.now();
    timer = setInterval(() => {
      now.value = Date.now();
    }, intervalMs);
  }
  function stop() {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  watch(visible, (isVisible) => (isVisible ? start() : stop()), { immediate: true });
  onScopeDispose(stop);
  return readonly(now);
}
