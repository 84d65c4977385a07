import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the tab title. */
    title?: string;
    /** Label in the main navigation; routes without one stay out of it. */
    nav?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: { name: 'status' } },
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

export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes,
    scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? undefined : { top: 0 }),
  });
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Kumo` : 'Kumo';
  });
  return router;
}
