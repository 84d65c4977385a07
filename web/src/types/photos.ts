// The photo API's types, from the types generated out of docs/photos-api.yaml (npm run gen:types):
// change the document, not these names.
import type { components, operations } from './generated/photos';

type Schemas = components['schemas'];

export type PhotoContentType = Schemas['CreatePhotoInput']['contentType'];

/** PENDING: waiting for its upload and the labeler; READY: labelled; REJECTED: not a usable image. */
export type PhotoState = Schemas['PhotoState'];

/** `name` as Rekognition names it (`Golden Retriever`), `label` normalised for `GET /photos?label=`. */
export type PhotoLabel = Schemas['Label'];

/** Owner only. A flagged photo is hidden from the public feed and search. */
export type Moderation = Schemas['Moderation'];

export type ModerationLabel = Moderation['labels'][number];

/** `hex` is `#rrggbb`; `share` of the image it covers, 0..1. */
export type DominantColour = Schemas['Colour'];

/** Owner only, when REJECTED. */
export type Rejection = Schemas['Rejection'];

export type RejectionCode = Rejection['code'];

export type Photo = Schemas['Photo'];

/** Body of `POST /photos`. */
export type CreatePhotoInput = Schemas['CreatePhotoInput'];

/** A presigned POST: send `fields` then the file, as multipart/form-data, to `url`. */
export type PresignedUpload = Schemas['PresignedUpload'];

export type CreatePhotoResponse = operations['createPhoto']['responses'][201]['content']['application/json'];

export type PhotoResponse = operations['getPhoto']['responses'][200]['content']['application/json'];

/** `nextCursor` is opaque: pass it back as `?cursor=` for the next page of the same listing; null on the last. */
export type PhotoListResponse = Schemas['PhotoPage'];

export type LabelCount = Schemas['LabelCount'];

export type LabelListResponse = operations['listLabels']['responses'][200]['content']['application/json'];
