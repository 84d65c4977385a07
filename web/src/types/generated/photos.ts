// Generated from docs/photos-api.yaml by `npm run gen:types` (openapi-typescript). Do not edit:
// change the document and run it again; test/unit/web/generated-types.test.ts checks it is current.
export interface paths {
    "/photos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public feed, a label search (?label=) or the caller's photos (?mine=true), newest first */
        get: operations["listPhotos"];
        put?: never;
        /** Declare an upload; get a presigned POST to send the file to */
        post: operations["createPhoto"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/photos/{photoId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                photoId: components["parameters"]["PhotoId"];
            };
            cookie?: never;
        };
        /** One photo, with presigned thumbnail and image URLs when READY */
        get: operations["getPhoto"];
        put?: never;
        post?: never;
        /** Delete one's own photo, its published image, thumbnail, any upload and every index item */
        delete: operations["deletePhoto"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The most used labels of public photos, most used first (search suggestions) */
        get: operations["listLabels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/photos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public feed, or a label search (?label=), newest first, for anyone (no token) */
        get: operations["listPublicPhotos"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/photos/{photoId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                photoId: components["parameters"]["PhotoId"];
            };
            cookie?: never;
        };
        /** One public photo, with presigned thumbnail and image URLs, for anyone (no token) */
        get: operations["getPublicPhoto"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/public/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The most used labels of public photos, most used first, for anyone (no token) */
        get: operations["listPublicLabels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            message: string;
            /** @description ValidationError, Unauthorized, Forbidden, NotFound, Conflict, MethodNotAllowed, InternalError */
            code: string;
        };
        /** @description 26 Crockford base32 characters, time-ordered */
        PhotoId: string;
        CreatePhotoInput: {
            /** @enum {string} */
            contentType: "image/jpeg" | "image/png";
            /** @description Bytes of the file; 15 MB is Rekognition's limit for S3 images */
            size: number;
            /** @description Shown to the owner only; folders are dropped */
            fileName?: string;
        };
        PresignedUpload: {
            /** @enum {string} */
            method: "POST";
            /** @description Where to POST the multipart form (S3, or the local S3) */
            url: string;
            /** @description Form fields to send, in order, before the `file` field. `key` is `uploads/{sub}/{photoId}`: the signed policy pins it, so the form can write nothing else */
            fields: {
                [key: string]: string;
            };
            /** Format: date-time */
            expiresAt: string;
            /** @description The declared size; S3 refuses a larger file */
            maxBytes: number;
        };
        /** @enum {string} */
        PhotoState: "PENDING" | "READY" | "REJECTED";
        Label: {
            /** @description As Rekognition names it (Golden Retriever) */
            name: string;
            /** @description Normalised (golden retriever), the value for ?label= */
            label: string;
            confidence: number;
            parents: string[];
        };
        Colour: {
            hex: string;
            share: number;
        };
        Moderation: {
            flagged: boolean;
            reason?: string;
            labels: {
                name: string;
                parent: string;
                confidence: number;
            }[];
        };
        Rejection: {
            /** @enum {string} */
            code: "NotAnImage" | "Undecodable" | "TooSmall" | "TooLarge" | "FileTooLarge" | "EmptyFile" | "RekognitionRefused";
            reason: string;
        };
        Photo: {
            photoId: components["schemas"]["PhotoId"];
            state: components["schemas"]["PhotoState"];
            mine: boolean;
            /** @enum {string} */
            contentType: "image/jpeg" | "image/png";
            size: number;
            /** @description Owner only */
            fileName?: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            processedAt?: string;
            /**
             * @description What the uploaded bytes are (may differ from the declared contentType)
             * @enum {string}
             */
            format?: "jpeg" | "png";
            /** @description Width of the published image (upright, at most 4096 px) */
            width?: number;
            /** @description Height of the published image (upright, at most 4096 px) */
            height?: number;
            labels: components["schemas"]["Label"][];
            colours: components["schemas"]["Colour"][];
            moderation?: components["schemas"]["Moderation"];
            rejection?: components["schemas"]["Rejection"];
            /** @description Presigned GET (1 hour) of a JPEG at most 320 px; READY only */
            thumbnailUrl?: string;
            /** @description Presigned GET (1 hour) of the published image: a JPEG made by the labeler from the upload (upright, at most 4096 px, no EXIF/GPS or other metadata), the very bytes it labelled; GET /photos/{photoId} only, READY only */
            imageUrl?: string;
        };
        PhotoPage: {
            photos: components["schemas"]["Photo"][];
            nextCursor: string | null;
        };
        LabelCount: {
            name: string;
            label: string;
            count: number;
        };
        /** @description A public photo as anyone sees it: READY, not flagged; no owner, file name, moderation or rejection */
        PublicPhoto: {
            photoId: components["schemas"]["PhotoId"];
            /** @enum {string} */
            state: "READY";
            /** @enum {string} */
            contentType: "image/jpeg" | "image/png";
            size: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            processedAt?: string;
            /** @enum {string} */
            format?: "jpeg" | "png";
            width?: number;
            height?: number;
            labels: components["schemas"]["Label"][];
            colours: components["schemas"]["Colour"][];
            /** @description Presigned GET (1 hour) of a JPEG at most 320 px */
            thumbnailUrl?: string;
            /** @description Presigned GET (1 hour) of the published image; GET /public/photos/{photoId} only */
            imageUrl?: string;
        };
        PublicPhotoPage: {
            photos: components["schemas"]["PublicPhoto"][];
            nextCursor: string | null;
        };
    };
    responses: {
        /** @description Malformed JSON, unknown or invalid fields, a bad id or cursor; the message names each field */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No, expired or foreign token */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Another user's photo */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such photo, or one the caller may not see */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A fault, logged with the request id; the body says nothing more */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The photo kept changing during the delete; try again */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        PhotoId: components["schemas"]["PhotoId"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPhotos: {
        parameters: {
            query?: {
                /** @description A label name, any case and spacing (`Dog`, ` golden  retriever`); not with mine=true */
                label?: string;
                /** @description true for the caller's own photos in every state */
                mine?: "true" | "false";
                limit?: number;
                /** @description The nextCursor of the previous page of the same listing (opaque; an altered one is a 400) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PhotoPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
        };
    };
    createPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePhotoInput"];
            };
        };
        responses: {
            /** @description The PENDING photo and its upload */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        photo: components["schemas"]["Photo"];
                        upload: components["schemas"]["PresignedUpload"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
        };
    };
    getPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                photoId: components["parameters"]["PhotoId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The photo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        photo: components["schemas"]["Photo"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    deletePhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                photoId: components["parameters"]["PhotoId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            500: components["responses"]["InternalError"];
        };
    };
    listLabels: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Labels with their photo counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        labels: components["schemas"]["LabelCount"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
        };
    };
    listPublicPhotos: {
        parameters: {
            query?: {
                /** @description A label name, any case and spacing (`Dog`, ` golden  retriever`) */
                label?: string;
                limit?: number;
                /** @description The nextCursor of the previous page of the same listing (opaque; an altered one is a 400) */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of public photos */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicPhotoPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["InternalError"];
        };
    };
    getPublicPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                photoId: components["parameters"]["PhotoId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The photo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        photo: components["schemas"]["PublicPhoto"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    listPublicLabels: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Labels with their photo counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        labels: components["schemas"]["LabelCount"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["InternalError"];
        };
    };
}
