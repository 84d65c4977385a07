/**
 * Data shapes of the photo site, as documented in docs/photos-api.yaml (the contract with the web app).
 * Pure types: no AWS, no Node.
 */

/** Content types a photo may be uploaded as (what Rekognition reads from S3). */
export type PhotoContentType = 'image/jpeg' | 'image/png';

/** Image formats found in the bytes. */
export type ImageFormat = 'jpeg' | 'png';

/**
 * `PENDING`: created, waiting for its upload and the labeler; `READY`: checked and labelled;
 * `REJECTED`: the upload is not a usable image (see {@link Rejection}).
 */
export type PhotoState = 'PENDING' | 'READY' | 'REJECTED';

/** A label of DetectLabels, kept on the photo. */
export interface PhotoLabel {
  /** As Rekognition names it, e.g. `Golden Retriever`. */
  name: string;
  /** Normalised for search and indexing (see `normalizeLabel`), e.g. `golden retriever`. */
  label: string;
  /** Percent, one decimal. */
  confidence: number;
  /** Names of the parent labels, e.g. `['Dog', 'Animal']`. */
  parents: string[];
}

/** A moderation label of DetectModerationLabels. */
export interface ModerationLabel {
  name: string;
  /** Top-level category (`''` for a top-level label). */
  parent: string;
  confidence: number;
}

/** What moderation decided. A flagged photo is hidden from the public feed and search. */
export interface Moderation {
  flagged: boolean;
  labels: ModerationLabel[];
  /** Why it is hidden, shown to its owner. */
  reason?: string;
}

/** A dominant colour: `#rrggbb` and the share of the image it covers (0..1). */
export interface DominantColour {
  hex: string;
  share: number;
}

/** Stable codes of {@link Rejection}. */
export type RejectionCode =
  | 'NotAnImage'
  | 'Undecodable'
  | 'TooSmall'
  | 'TooLarge'
  | 'FileTooLarge'
  | 'EmptyFile'
  | 'RekognitionRefused';

/** Why a photo was rejected, shown to its owner. */
export interface Rejection {
  code: RejectionCode;
  reason: string;
}

/** A photo as stored. */
export interface Photo {
  photoId: string;
  /** Cognito `sub` of the owner. */
  ownerId: string;
  state: PhotoState;
  contentType: PhotoContentType;
  /** Declared size in bytes (POST /photos); the upload may not exceed it. */
  size: number;
  fileName?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, set when READY or REJECTED. */
  processedAt?: string;
  /** S3 key the browser posts the upload to: `uploads/{ownerId}/{photoId}` (deleted once processed). */
  uploadKey: string;
  /** S3 key of the published image once READY: `photos/{ownerId}/{photoId}/{version}.jpg`. */
  imageKey?: string;
  /** S3 key of the JPEG thumbnail once READY: `thumbnails/{ownerId}/{photoId}/{version}.jpg`. */
  thumbnailKey?: string;
  /** What the uploaded bytes turned out to be (may differ from the declared type; both are accepted). */
  format?: ImageFormat;
  /** Size of the published image (upright, at most 4096 px a side). */
  width?: number;
  height?: number;
  labels: PhotoLabel[];
  colours: DominantColour[];
  moderation?: Moderation;
  rejection?: Rejection;
}

/** A photo as the API shows it (docs/photos-api.yaml `Photo`). */
export interface PhotoView {
  photoId: string;
  state: PhotoState;
  /** True when the caller owns it. */
  mine: boolean;
  contentType: PhotoContentType;
  size: number;
  fileName?: string;
  createdAt: string;
  processedAt?: string;
  format?: ImageFormat;
  width?: number;
  height?: number;
  labels: PhotoLabel[];
  colours: DominantColour[];
  /** Owner only. */
  moderation?: Moderation;
  /** Owner only, when REJECTED. */
  rejection?: Rejection;
  /** Presigned GET of the thumbnail (READY only). */
  thumbnailUrl?: string;
  /** Presigned GET of the published image (GET /photos/{photoId} only, READY only). */
  imageUrl?: string;
}

/**
 * A public photo as anyone sees it (`GET /public/photos...`, docs/photos-api.yaml `PublicPhoto`): READY
 * and not flagged; nothing about its owner or its upload.
 */
export type PublicPhotoView = Omit<PhotoView, 'mine' | 'fileName' | 'moderation' | 'rejection' | 'state'> & {
  state: 'READY';
};

/** Where a page of a listing starts: the last item of the previous page. */
export interface PagePosition {
  createdAt: string;
  photoId: string;
}

/** Which listing a request (and so a cursor) is about. */
export type ListScope =
  | { kind: 'feed' }
  | { kind: 'label'; label: string }
  | { kind: 'mine'; ownerId: string };

/** One page of photos. */
export interface PhotoPage {
  photos: Photo[];
  /** Position after the last photo when more may follow. */
  next?: PagePosition;
}

/** A label and how many public photos carry it. */
export interface LabelCount {
  /** Display name (Rekognition's). */
  name: string;
  /** Normalised name, for `GET /photos?label=`. */
  label: string;
  count: number;
}
