// Mirrors docs/photos-api.yaml, the contract between functions/photos and web/. Change both together.

export type PhotoContentType = 'image/jpeg' | 'image/png';

/** PENDING: waiting for its upload and the labeler; READY: labelled; REJECTED: not a usable image. */
export type PhotoState = 'PENDING' | 'READY' | 'REJECTED';

export interface PhotoLabel {
  /** As Rekognition names it, e.g. `Golden Retriever`. */
  name: string;
  /** Normalised, for `GET /photos?label=`. */
  label: string;
  /** Percent. */
  confidence: number;
  parents: string[];
}

export interface ModerationLabel {
  name: string;
  parent: string;
  confidence: number;
}

/** Owner only. A flagged photo is hidden from the public feed and search. */
export interface Moderation {
  flagged: boolean;
  labels: ModerationLabel[];
  reason?: string;
}

export interface DominantColour {
  /** `#rrggbb`. */
  hex: string;
  /** Share of the image it covers, 0..1. */
  share: number;
}

export type RejectionCode =
  | 'NotAnImage'
  | 'Undecodable'
  | 'TooSmall'
  | 'TooLarge'
  | 'FileTooLarge'
  | 'EmptyFile'
  | 'RekognitionRefused';

/** Owner only, when REJECTED. */
export interface Rejection {
  code: RejectionCode;
  reason: string;
}

export interface Photo {
  photoId: string;
  state: PhotoState;
  /** True when the caller owns it. */
  mine: boolean;
  contentType: PhotoContentType;
  size: number;
  fileName?: string;
  createdAt: string;
  processedAt?: string;
  /** What the uploaded bytes are (may differ from the declared contentType). */
  format?: 'jpeg' | 'png';
  /** Size of the published image. */
  width?: number;
  height?: number;
  labels: PhotoLabel[];
  colours: DominantColour[];
  moderation?: Moderation;
  rejection?: Rejection;
  /** Presigned GET (1 hour) of a JPEG at most 320 px; READY only. */
  thumbnailUrl?: string;
  /**
   * Presigned GET (1 hour) of the published image: a JPEG the labeler made from the upload (upright, at
   * most 4096 px, no EXIF/GPS or other metadata); GET /photos/{photoId} only, READY only.
   */
  imageUrl?: string;
}

/** Body of `POST /photos`. */
export interface CreatePhotoInput {
  contentType: PhotoContentType;
  size: number;
  fileName?: string;
}

/** A presigned POST: send `fields` then the file, as multipart/form-data, to `url`. */
export interface PresignedUpload {
  method: 'POST';
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
  /** The declared size; S3 refuses a larger file. */
  maxBytes: number;
}

export interface CreatePhotoResponse {
  photo: Photo;
  upload: PresignedUpload;
}

export interface PhotoResponse {
  photo: Photo;
}

export interface PhotoListResponse {
  photos: Photo[];
  /** Opaque; pass back as `?cursor=` for the next page of the same listing. Null on the last page. */
  nextCursor: string | null;
}

export interface LabelCount {
  name: string;
  label: string;
  count: number;
}

export interface LabelListResponse {
  labels: LabelCount[];
}
