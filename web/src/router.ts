import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteLocationRaw,
  type RouteRecordRaw,
  type Router,
} from 'vue-router';
import { safeRedirect } from './lib/auth-forms';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the tab title. */
    title?: string;
    /** Label in the main navigation; routes without one stay out of it. */
    nav?: string;
    /** The navigation entry (route name) a page without its own belongs under, e.g. a detail page. */
    navSection?: string;
    /** Signed-in users only: others go to the sign-in page and come back after. */
    requiresAuth?: boolean;
    /** Sign-in and sign-up pages: a signed-in user goes on to where they were headed. */
    guestOnly?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  // What Kumo is, for anyone: the latest public photos and the public status, no account needed.
  {
    path: '/',
    name: 'home',
    component: () => import('./views/LandingView.vue'),
    meta: { title: 'Serverless photos, status and streams' },
  },
  // Photos are public to browse (the API's /public/ routes); posting and "Mine" ask to sign in in place.
  {
    path: '/photos',
    name: 'photos',
    component: () => import('./views/PhotoFeedView.vue'),
    meta: { title: 'Photos', nav: 'Photos' },
  },
  {
    path: '/photos/search',
    name: 'photo-search',
    component: () => import('./views/PhotoSearchView.vue'),
    meta: { title: 'Search photos', navSection: 'photos' },
  },
  {
    path: '/photos/:photoId',
    name: 'photo',
    component: () => import('./views/PhotoDetailView.vue'),
    props: true,
    meta: { title: 'Photo', navSection: 'photos' },
  },
  {
    path: '/status',
    name: 'status',
    component: () => import('./views/StatusView.vue'),
    meta: { title: 'Status', nav: 'Status' },
  },
  {
    path: '/stream',
    name: 'stream',
    component: () => import('./views/StreamView.vue'),
    meta: { title: 'Stream', nav: 'Stream' },
  },
  {
    path: '/traces',
    name: 'traces',
    component: () => import('./views/TracesView.vue'),
    meta: { title: 'Traces', nav: 'Traces' },
  },
  {
    path: '/traces/:traceId',
    name: 'trace',
    component: () => import('./views/TraceDetailView.vue'),
    props: true,
    meta: { title: 'Trace' },
  },
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('./views/SignInView.vue'),
    meta: { title: 'Sign in', guestOnly: true },
  },
  {
    path: '/sign-up',
    name: 'sign-up',
    component: () => import('./views/SignUpView.vue'),
    meta: { title: 'Create an account', guestOnly: true },
  },
  {
    path: '/confirm',
    name: 'confirm-sign-up',
    component: () => import('./views/ConfirmSignUpView.vue'),
    meta: { title: 'Confirm your e-mail address', guestOnly: true },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundView.vue'),
    meta: { title: 'Page not found' },
  },
];

export interface NavItem {
  name: string;
  label: string;
}

export const navItems: NavItem[] = routes.flatMap((route) =>
  route.meta?.nav && typeof route.name === 'string' ? [{ name: route.name, label: route.meta.nav }] : [],
);

/**
 * Private pages wait for the stored session to be restored, then send signed-out users to sign in
 * (and back here after); sign-in pages send signed-in users on.
 */
async function authGuard(to: RouteLocationNormalized): Promise<RouteLocationRaw | undefined> {
  if (!to.meta.requiresAuth && !to.meta.guestOnly) return undefined;
  const auth = useAuthStore();
  await auth.ready;
  if (to.meta.requiresAuth && !auth.isSignedIn) {
    return { name: 'sign-in', query: { redirect: to.fullPath } };
  }
  if (to.meta.guestOnly && auth.isSignedIn) {
    return safeRedirect(to.query) ?? { name: 'photos' };
  }
  return undefined;
}

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? undefined : { top: 0 }),
  });
  router.beforeEach(authGuard);
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Kumo` : 'Kumo';
  });
  return router;
}
