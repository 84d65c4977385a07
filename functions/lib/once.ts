/**
 * Run an async initialisation at most once per container (for example on the first invocation), and
 * try again on the next call if it failed.
 *
 * @param init - the work to do once
 * @returns a function that starts `init` on its first call and returns the same promise afterwards
 */
export function once<T>(init: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= init().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
