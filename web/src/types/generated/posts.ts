// Generated from docs/posts-api.yaml by `npm run gen:types` (openapi-typescript). Do not edit:
// change the document and run it again; test/unit/web/generated-types.test.ts checks it is current.
export interface paths {
    "/posts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Posts, newest first; by hashtag, by author, or both (the hashtag's posts by that author) */
        get: operations["listPosts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/posts/{postId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                postId: components["schemas"]["PostId"];
            };
            cookie?: never;
        };
        /** One post */
        get: operations["getPost"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stream/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The stream's shard count and the posts stored per minute
         * @description `series` is gap-free, oldest first, ending with the current minute (its rate over the seconds elapsed so far). `posts` counts what the consumer stored per minute of Kinesis arrival time (`rateSource: consumer`); `stream` is Kinesis's DescribeStreamSummary, null when it failed.
         */
        get: operations["getStreamStats"];
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
            /** @description ValidationError, NotFound, MethodNotAllowed, InternalError */
            code: string;
        };
        /** @description X's decimal post id */
        PostId: string;
        /** @enum {string} */
        PostSource: "x-recent-search" | "x-filtered-stream" | "feed";
        Post: {
            id: components["schemas"]["PostId"];
            text: string;
            /** Format: date-time */
            createdAt: string;
            authorId: string;
            /** @description Lower case */
            authorUsername: string;
            authorName?: string;
            /** @description BCP 47 in lower case, `und` when X did not say */
            lang: string;
            /** @description Lower case, NFC, without `#`, in order of appearance */
            hashtags: string[];
            /** @description Lower-case usernames without `@` */
            mentions: string[];
            source: components["schemas"]["PostSource"];
            /** Format: date-time */
            receivedAt: string;
        };
        PostPage: {
            posts: components["schemas"]["Post"][];
            nextCursor: string | null;
        };
        StreamInfo: {
            streamName: string;
            /** @description CREATING, ACTIVE, UPDATING, DELETING (or UNKNOWN) */
            status: string;
            openShardCount: number;
            retentionPeriodHours?: number;
            /** @description NONE or KMS */
            encryption?: string;
        };
        MinutePoint: {
            /**
             * Format: date-time
             * @description Start of the minute
             */
            minute: string;
            posts: number;
            perSecond: number;
            /** @description Shards that delivered posts that minute */
            activeShards: number;
        };
        StreamStats: {
            /** Format: date-time */
            generatedAt: string;
            stream: components["schemas"]["StreamInfo"] | null;
            series: components["schemas"]["MinutePoint"][];
            /** @enum {string} */
            rateSource: "consumer";
        };
    };
    responses: {
        /** @description A bad query parameter or id; the message names it (`limit: an integer from 1 to 100`) */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such post (`Post <id> not found`) */
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
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPosts: {
        parameters: {
            query?: {
                /** @description A hashtag with or without `#`, any case (letters, digits and _, at most 100) */
                hashtag?: string;
                /** @description A username with or without `@`, any case (letters, digits and _) */
                author?: string;
                limit?: number;
                /** @description The nextCursor of the previous page (opaque) */
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
                    "application/json": components["schemas"]["PostPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["InternalError"];
        };
    };
    getPost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                postId: components["schemas"]["PostId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The post */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        post: components["schemas"]["Post"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getStreamStats: {
        parameters: {
            query?: {
                minutes?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stats */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamStats"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["InternalError"];
        };
    };
}
