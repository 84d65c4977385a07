/**
 * What the photo page hands the feed after a delete, through the history entry's state (not the URL:
 * a reload or a shared link must not announce it again).
 */
export interface DeletedPhoto {
  photoId: string;
  /** The photo's title when it was deleted (its labels), for the message. */
  title: string;
}

/** The deleted photo in a history state, if any; anything else (another page's state, junk) is none. */
export function readDeletedPhoto(state: unknown): DeletedPhoto | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const deleted = (state as { deleted?: unknown }).deleted;
  if (typeof deleted !== 'object' || deleted === null) return undefined;
  const { photoId, title } = deleted as Record<string, unknown>;
  if (typeof photoId !== 'string' || photoId === '') return undefined;
  return { photoId, title: typeof title === 'string' && title !== '' ? title : 'Photo' };
}
