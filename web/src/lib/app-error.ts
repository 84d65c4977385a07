import { ref } from 'vue';

/**
 * What a component threw, in words a visitor can read: the error's own message when it has one
 * (a TypeError's "Cannot read properties of undefined" is still more useful than nothing), otherwise
 * a generic sentence. Never a stack trace.
 */
export function describeRenderError(error: unknown): string {
  if (error instanceof Error && error.message.trim() !== '') return error.message.trim();
  if (typeof error === 'string' && error.trim() !== '') return error.trim();
  return 'An unexpected error occurred.';
}

/**
 * The last error no ErrorBoundary caught (app.config.errorHandler puts it here; App.vue shows it as a
 * banner over the page instead of leaving the visitor with a page that silently stopped working).
 */
export const unhandledError = ref<string>();

export function reportUnhandledError(error: unknown, info: string): void {
  console.error(`Unhandled error (${info}):`, error);
  unhandledError.value = describeRenderError(error);
}
