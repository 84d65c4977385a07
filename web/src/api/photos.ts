import { type ApiClient, type RequestOptions, useApi } from '../composables/useApi';
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

function listingQuery(listing: PhotoListing): Record<string, string> {
  if (listing.kind === 'mine') return { mine: 'true' };
  if (listing.kind === 'label') return { label: listing.label };
  return {};
}

export function createPhotosApi(client: ApiClient): PhotosApi {
  const photoPath = (photoId: string) => `/photos/${encodeURIComponent(photoId)}`;
  return {
    create: (input) => client.post<CreatePhotoResponse>('/photos', input),
    list: (listing, cursor, options) =>
      client.get<PhotoListResponse>('/photos', {
        ...options,
        query: { ...options?.query, ...listingQuery(listing), cursor },
      }),
    get: async (photoId, options) => (await client.get<PhotoResponse>(photoPath(photoId), options)).photo,
    remove: (photoId) => client.delete(photoPath(photoId)),
    labels: async (options) => (await client.get<LabelListResponse>('/labels', options)).labels,
  };
}

/** The photos API at the configured `apiUrl`, as the signed-in user. */
export function usePhotosApi(): PhotosApi {
  return createPhotosApi(useApi());
}
