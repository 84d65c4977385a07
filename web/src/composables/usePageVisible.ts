import { onScopeDispose, type Ref, readonly, ref } from 'vue';

/** Whether the tab is visible; false while it is in the background or minimised. */
export function usePageVisible(): Readonly<Ref<boolean>> {
  const visible = ref(document.visibilityState === 'visible');
  const update = () => {
    visible.value = document.visibilityState === 'visible';
  };
  document.addEventListener('visibilitychange', update);
  onScopeDispose(() => document.removeEventListener('visibilitychange', update));
  return readonly(visible);
}
