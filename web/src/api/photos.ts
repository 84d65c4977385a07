import { type ApiClient, type RequestOptions, useApi } from '../composables/useApi';
import { useAuthStore } from '../stores/auth';
import type {
  CreatePhotoInput,
  CreatePhotoResponse,
  LabelCount,
  LabelListResponse,
  Photo,
  PhotoListResponse,
  PhotoResponse,
} from '../types/photos';

/** Which photos `GET /photos` lists. */
export type PhotoListing = { kind: 'feed' } | { kind: 'mine' } | { kind: 'label'; label: string };

/** The photo site's routes (docs/photos-api.yaml), on top of the signed-in API client. */
export interface PhotosApi {
  create(input: CreatePhotoInput): Promise<CreatePhotoResponse>;
  list(listing: PhotoListing, cursor?: string, options?: RequestOptions): Promise<PhotoListResponse>;
  get(photoId: string, options?: RequestOptions): Promise<Photo>;
  remove(photoId: string): Promise<void>;
  labels(options?: RequestOptions): Promise<LabelCount[]>;
}

/** docs/photos-api.yaml `PublicPhoto`: a photo as strangers see it, never theirs. */
type PublicPhoto = Omit<Photo, 'mine'>;

function listingQuery(listing: PhotoListing): Record<string, string> {
  if (listing.kind === 'mine') return { mine: 'true' };
  if (listing.kind === 'label') return { label: listing.label };
  return {};
}

const asPhoto = (photo: PublicPhoto): Photo => ({ ...photo, mine: false });

/**
 * Signed in, the photo routes; signed out, their read-only `/public/` twins (same listings, same
 * cursors), so browsing needs no account. `signedIn` settles once the stored session is restored, so a
 * reload of a signed-in page never asks the public routes first.
 */
export function createPhotosApi(client: ApiClient, signedIn: () => Promise<boolean>): PhotosApi {
  const photoPath = (photoId: string) => `/photos/${encodeURIComponent(photoId)}`;
  return {
    create: (input) => client.post<CreatePhotoResponse>('/photos', input),
    list: async (listing, cursor, options) => {
      const query = { ...options?.query, ...listingQuery(listing), cursor };
      // A stranger has no photos of their own: `mine` goes to the private route and its 401.
      if (listing.kind === 'mine' || (await signedIn())) {
        return client.get<PhotoListResponse>('/photos', { ...options, query });
      }
      const page = await client.get<{ photos: PublicPhoto[]; nextCursor: string | null }>('/public/photos', {
        ...options,
        query,
      });
      return { photos: page.photos.map(asPhoto), nextCursor: page.nextCursor };
    },
    get: async (photoId, options) => {
      if (await signedIn()) return (await client.get<PhotoResponse>(photoPath(photoId), options)).photo;
      return asPhoto(
        (await client.get<{ photo: PublicPhoto }>(`/public${photoPath(photoId)}`, options)).photo,
      );
    },
    remove: (photoId) => client.delete(photoPath(photoId)),
    labels: async (options) =>
      (await client.get<LabelListResponse>((await signedIn()) ? '/labels' : '/public/labels', options))
        .labels,
  };
}

/** The photos API at the configured `apiUrl`, as the signed-in user, or anyone when signed out. */
export function usePhotosApi(): PhotosApi {
  const auth = useAuthStore();
  return createPhotosApi(useApi(), async () => {
    await auth.ready;
    return auth.isSignedIn;
  });
}
