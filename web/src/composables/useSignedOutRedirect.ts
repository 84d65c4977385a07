import { watch } from 'vue';
import { useRouter } from 'vue-router';
import { useAuthStore } from '../stores/auth';

/**
 * Leaves a private page for the sign-in page when the session ends while it is open. An expired
 * session comes back here after signing in again; a sign-out (here or in another tab) does not.
 */
export function useSignedOutRedirect(): void {
  const auth = useAuthStore();
  const router = useRouter();
  watch(
    () => auth.status,
    (status) => {
      const current = router.currentRoute.value;
      if (status === 'signedOut' && current.meta.requiresAuth) {
        const query = auth.notice ? { redirect: current.fullPath } : {};
        void router.push({ name: 'sign-in', query });
      }
    },
  );
}
