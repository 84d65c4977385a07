// Generated from docs/health-api.yaml by `npm run gen:types` (openapi-typescript). Do not edit:
// change the document and run it again; test/unit/web/generated-types.test.ts checks it is current.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The API answers */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public status page's monitors, by name (redacted) */
        get: operations["listPublicMonitors"];
        put?: never;
        /** Add a monitor, owned by the caller and private */
        post: operations["createMonitor"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitorId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** One public monitor (redacted) */
        get: operations["getPublicMonitor"];
        put?: never;
        post?: never;
        /** Delete one's own monitor (operators, any); its past results expire by TTL */
        delete: operations["deleteMonitor"];
        options?: never;
        head?: never;
        /** Change one's own monitor (operators, any); only the fields given change */
        patch: operations["updateMonitor"];
        trace?: never;
    };
    "/monitors/{monitorId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** The checks of a public monitor, oldest first (redacted) */
        get: operations["getPublicHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/badges/{monitorId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /**
         * The uptime badge of a public monitor (24 hours), an SVG to embed
         * @description Reads `uptime | 99.9%` (`no data` before the first check of the window) on green (UP), red (DOWN) or grey (PENDING, PAUSED); nothing from the monitor or its target. Cached 5 minutes (`Cache-Control: public, max-age=300`); `Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'`. The path segment is the monitor id, with or without a `.svg` suffix (`/badges/{id}.svg` is the form pages link; API Gateway cannot put literal text after a parameter, so the suffix arrives in `monitorId` and is stripped). Answers carry an `ETag`; a request whose `If-None-Match` names it gets 304 with no body.
         */
        get: operations["getBadge"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/my/monitors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's monitors in full, by id; operators get every monitor */
        get: operations["listMyMonitors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/my/monitors/{monitorId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** One of the caller's monitors in full (operators, any) */
        get: operations["getMyMonitor"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/my/monitors/{monitorId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** The checks of one of the caller's monitors in full, oldest first */
        get: operations["getMyHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitorId}/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** The incidents (DOWN stretches) of a public monitor, newest first (reasons as categories) */
        get: operations["getPublicIncidents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/my/monitors/{monitorId}/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** The incidents of one of the caller's monitors in full, newest first */
        get: operations["getMyIncidents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitorId}/maintenance": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        /** The maintenance windows of one of the caller's monitors, and the one in progress or next */
        get: operations["listMaintenanceWindows"];
        put?: never;
        /**
         * Add a one-off or recurring maintenance window (at most 10 per monitor)
         * @description During a window the monitor is still probed, but its checks are marked `maintenance`, left out of uptime and percentiles, and alert nobody; the first check after the window alerts once if the status then differs from the one last alerted (docs/health.md).
         */
        post: operations["addMaintenanceWindow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitorId}/maintenance/{windowId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
                windowId: components["schemas"]["WindowId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a maintenance window */
        delete: operations["removeMaintenanceWindow"];
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
            /** @description ValidationError, Unauthorized, NotFound, MethodNotAllowed, Conflict, QuotaExceeded, PayloadTooLarge, InternalError */
            code: string;
        };
        /** @description `<host-slug>-<16 hex digits>`; random for a user's monitor, a hash of method and URL for a seeded one */
        MonitorId: string;
        /**
         * @description PENDING: not checked yet (or since resumed); PAUSED: not probed
         * @enum {string}
         */
        MonitorStatus: "UP" | "DOWN" | "PENDING" | "PAUSED";
        /** @enum {string} */
        CheckStatus: "UP" | "DOWN";
        /** @enum {string} */
        HttpMethod: "GET" | "HEAD" | "POST";
        /**
         * @description Canonical ranges of expected statuses, e.g. `200-299` or `200-299,301`: ascending, merged, at most 20 parts, each within 100-599
         * @example 200-299,301
         */
        ExpectedStatus: string;
        /** @description Codes and ranges, e.g. `"200-299"`, `"200-299, 301"` (spaces allowed; at most 20 parts after merging, 200 characters, each within 100-599, ranges low-high); or the older array of codes, `[200, 301]` (at most 500), answered as ranges. Default `200-299` (any 2xx). */
        ExpectedStatusInput: string | number[];
        JsonPathCheck: {
            /** @description $, .key, ['key'] and [index] (negative from the end), e.g. `$.status` */
            path: string;
            /** @description Compared strictly (3 is not "3"); without it the path only has to exist */
            equals?: (string | number | boolean) | null;
        };
        MonitorInput: {
            /** @description http(s) only, no user:password@; a private address is refused unless HealthAllowPrivateTargets */
            url: string;
            /** @description Default the URL's host (with its port) */
            name?: string;
            method?: components["schemas"]["HttpMethod"];
            expectedStatus?: components["schemas"]["ExpectedStatusInput"];
            /** @description Default 10000; timeoutMs x (retries + 1) must be at most 60000 */
            timeoutMs?: number;
            /** @description Extra attempts before DOWN, default 1 */
            retries?: number;
            /** @description The body must contain it (case-sensitive, first 1 MiB); not with HEAD */
            keyword?: string;
            /** @description True, the body must NOT contain keyword (requires keyword) */
            keywordAbsent?: boolean;
            jsonPath?: components["schemas"]["JsonPathCheck"];
            /** @description Default 5 */
            maxRedirects?: number;
            /** @description Default [21, 14, 7] */
            tlsWarningDays?: number[];
        };
        /** @description Any field of MonitorInput; null removes the keyword or JSON check */
        MonitorPatch: {
            url?: string;
            name?: string;
            method?: components["schemas"]["HttpMethod"];
            expectedStatus?: components["schemas"]["ExpectedStatusInput"];
            timeoutMs?: number;
            retries?: number;
            keyword?: string | null;
            keywordAbsent?: boolean;
            jsonPath?: components["schemas"]["JsonPathCheck"] | null;
            maxRedirects?: number;
            tlsWarningDays?: number[];
            /** @description True, not probed, state PAUSED, no alerts; false resumes (PENDING) */
            paused?: boolean;
            /** @description True, on the public status page (redacted) */
            public?: boolean;
        };
        CertInfo: {
            /** Format: date-time */
            validTo: string;
            /** @description Whole days left, negative once expired */
            daysRemaining: number;
            issuer?: string;
            /** @description The tightest of tlsWarningDays the certificate is within */
            warningDays?: number;
        };
        PublicCertInfo: {
            /** Format: date-time */
            validTo: string;
            daysRemaining: number;
            warningDays?: number;
        };
        MonitorState: {
            status: components["schemas"]["MonitorStatus"];
            /**
             * Format: date-time
             * @description When the current status began
             */
            since: string;
            /** Format: date-time */
            lastCheckedAt?: string;
            lastLatencyMs?: number;
            lastStatusCode?: number;
            /** @description Why it is DOWN, a short sentence that never quotes the target's body */
            lastError?: string;
            cert?: components["schemas"]["CertInfo"];
            /** @description The status the last alert announced, present only while a maintenance window held back the alert of a change (the first check after the window alerts if the status still differs) */
            alertedStatus?: components["schemas"]["MonitorStatus"];
        };
        /** @description Why a public monitor is DOWN, as a fixed category (never text from the target) */
        ReasonCategory: string;
        PublicMonitorState: {
            status: components["schemas"]["MonitorStatus"];
            /** Format: date-time */
            since: string;
            /** Format: date-time */
            lastCheckedAt?: string;
            lastLatencyMs?: number;
            lastStatusCode?: number;
            reason?: components["schemas"]["ReasonCategory"];
            cert?: components["schemas"]["PublicCertInfo"];
        };
        /** @description Percent of checks UP in the window, two decimals; null without data */
        Uptime: number | null;
        /**
         * Format: date-time
         * @description Start of the oldest hour with a check (7 days at most); null without any
         */
        CheckedSince: string | null;
        MonitorView: {
            monitorId: components["schemas"]["MonitorId"];
            url: string;
            name: string;
            method: components["schemas"]["HttpMethod"];
            expectedStatus: components["schemas"]["ExpectedStatus"];
            timeoutMs: number;
            retries: number;
            keyword?: string;
            keywordAbsent: boolean;
            jsonPath?: components["schemas"]["JsonPathCheck"];
            maxRedirects: number;
            tlsWarningDays: number[];
            /** Format: date-time */
            createdAt: string;
            /** @description The owner's Cognito sub, or `operators` */
            ownerId: string;
            paused: boolean;
            public: boolean;
            state: components["schemas"]["MonitorState"];
            uptime24h: components["schemas"]["Uptime"];
            uptime7d: components["schemas"]["Uptime"];
            checkedSince: components["schemas"]["CheckedSince"];
            inMaintenance?: components["schemas"]["InMaintenance"];
        };
        PublicMonitorView: {
            monitorId: components["schemas"]["MonitorId"];
            name: string;
            /** @description Scheme, host, port and path only */
            url: string;
            method: components["schemas"]["HttpMethod"];
            state: components["schemas"]["PublicMonitorState"];
            uptime24h: components["schemas"]["Uptime"];
            uptime7d: components["schemas"]["Uptime"];
            checkedSince: components["schemas"]["CheckedSince"];
            inMaintenance?: components["schemas"]["InMaintenance"];
        };
        MonitorResponse: {
            monitor: components["schemas"]["MonitorView"];
        };
        MonitorPage: {
            monitors: components["schemas"]["MonitorView"][];
            nextCursor: string | null;
        };
        PublicMonitorPage: {
            monitors: components["schemas"]["PublicMonitorView"][];
            nextCursor: string | null;
        };
        CheckResult: {
            monitorId: components["schemas"]["MonitorId"];
            /** Format: date-time */
            checkedAt: string;
            status: components["schemas"]["CheckStatus"];
            latencyMs: number;
            statusCode?: number;
            /** @description Why it was DOWN */
            error?: string;
            attempts: number;
            cert?: components["schemas"]["CertInfo"];
            /** @description Made inside a maintenance window (not in uptime, never alerted) */
            maintenance?: boolean;
        };
        PublicCheckResult: {
            /** Format: date-time */
            checkedAt: string;
            status: components["schemas"]["CheckStatus"];
            latencyMs: number;
            statusCode?: number;
            reason?: components["schemas"]["ReasonCategory"];
            /** @description Made inside a maintenance window */
            maintenance?: boolean;
        };
        /** @description Inside one of its maintenance windows now (probed, not alerted, not counted in uptime); in a monitor's view present (true) only then */
        InMaintenance: boolean;
        /** @description Response-time percentiles (nearest rank) of the window's checks that got a response, outside maintenance windows; null without any */
        LatencyPercentiles: {
            p50: number | null;
            p95: number | null;
            samples: number;
        };
        /** @description A DOWN stretch; open (no end) while the monitor is DOWN */
        Incident: {
            monitorId: components["schemas"]["MonitorId"];
            /**
             * Format: date-time
             * @description Its start, unique per monitor
             */
            incidentId: string;
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end?: string;
            durationMs?: number;
            /** @description The error of the check that opened it */
            reason: string;
            /** @description The regions that saw it down (the home region until probes run from several) */
            regions: string[];
            /** @description It began inside a maintenance window (no alert was sent) */
            maintenance?: boolean;
        };
        PublicIncident: {
            /** Format: date-time */
            incidentId: string;
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end?: string;
            durationMs?: number;
            reason: components["schemas"]["ReasonCategory"];
            regions: string[];
            maintenance?: boolean;
        };
        WindowId: string;
        /** @description One-off (`start`, `end`: at most 168 hours, ending in the future, starting within 366 days) or recurring (`cron`: five fields, minute hour day-of-month month day-of-week, matched on the wall clock of `timeZone`, an IANA name, default UTC; each occurrence lasts `durationMinutes`, 1 to 1440). A local time skipped by a DST change starts no window that day; one that happens twice starts one each time. */
        MaintenanceWindowInput: {
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end: string;
            label?: string;
        } | {
            /** @example 0 3 * * SUN */
            cron: string;
            /** @example Europe/Berlin */
            timeZone?: string;
            durationMinutes: number;
            label?: string;
        };
        MaintenanceWindow: {
            /** @enum {string} */
            kind: "once";
            windowId: components["schemas"]["WindowId"];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end: string;
            label?: string;
        } | {
            /** @enum {string} */
            kind: "recurring";
            windowId: components["schemas"]["WindowId"];
            /** Format: date-time */
            createdAt: string;
            cron: string;
            timeZone: string;
            durationMinutes: number;
            label?: string;
        };
        WindowOccurrence: {
            windowId: components["schemas"]["WindowId"];
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end: string;
        };
        MaintenanceList: {
            monitorId: components["schemas"]["MonitorId"];
            windows: components["schemas"]["MaintenanceWindow"][];
            inMaintenance: components["schemas"]["InMaintenance"];
            /** @description The window in progress, else the next to start within a year; null if none */
            next: components["schemas"]["WindowOccurrence"] | null;
            limits: {
                /** @description Windows a monitor may have */
                windows: number;
            };
        };
    };
    responses: {
        /** @description Malformed JSON, unknown or invalid fields, a bad id, cursor or query parameter, a private target; the message names each field (`timeoutMs: must be an integer between 100 and 60000`) */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No, expired or foreign token (API Gateway), or no authorizer claims (a direct invocation) */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such monitor, or one the caller may not see (`Monitor <id> not found`) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `Conflict`: the owner already watches this method and URL; `QuotaExceeded` (POST): the caller has `HealthMonitorQuota` monitors already */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A body over 64 KiB */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `Conflict`: the monitor has 10 maintenance windows already */
        MaintenanceFull: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such monitor (or not the caller's), or no such window on it */
        WindowNotFound: {
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
    parameters: {
        MonitorId: components["schemas"]["MonitorId"];
        Limit: number;
        /** @description The nextCursor of the previous page of the same listing (opaque, signed; an altered or foreign one is a 400) */
        Cursor: string;
        Hours: number;
        IncidentLimit: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                        /** Format: date-time */
                        time: string;
                    };
                };
            };
            500: components["responses"]["InternalError"];
        };
    };
    listPublicMonitors: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The nextCursor of the previous page of the same listing (opaque, signed; an altered or foreign one is a 400) */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of public monitors */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicMonitorPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["InternalError"];
        };
    };
    createMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MonitorInput"];
            };
        };
        responses: {
            /** @description The new monitor, PENDING until its first check */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    getPublicMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The monitor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        monitor: components["schemas"]["PublicMonitorView"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
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
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    updateMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MonitorPatch"];
            };
        };
        responses: {
            /** @description The monitor as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    getPublicHistory: {
        parameters: {
            query?: {
                hours?: components["parameters"]["Hours"];
            };
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checks in the window */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        monitorId: components["schemas"]["MonitorId"];
                        results: components["schemas"]["PublicCheckResult"][];
                        latency: components["schemas"]["LatencyPercentiles"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getBadge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The badge */
            200: {
                headers: {
                    "Cache-Control"?: "public, max-age=300";
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/svg+xml": string;
                };
            };
            /** @description Not modified (the request's `If-None-Match` names the current `ETag`); no body */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    listMyMonitors: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The nextCursor of the previous page of the same listing (opaque, signed; an altered or foreign one is a 400) */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of the caller's monitors */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
        };
    };
    getMyMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The monitor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getMyHistory: {
        parameters: {
            query?: {
                hours?: components["parameters"]["Hours"];
            };
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checks in the window */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        monitorId: components["schemas"]["MonitorId"];
                        results: components["schemas"]["CheckResult"][];
                        latency: components["schemas"]["LatencyPercentiles"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getPublicIncidents: {
        parameters: {
            query?: {
                limit?: components["parameters"]["IncidentLimit"];
            };
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The most recent incidents */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        monitorId: components["schemas"]["MonitorId"];
                        incidents: components["schemas"]["PublicIncident"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getMyIncidents: {
        parameters: {
            query?: {
                limit?: components["parameters"]["IncidentLimit"];
            };
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The most recent incidents */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        monitorId: components["schemas"]["MonitorId"];
                        incidents: components["schemas"]["Incident"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    listMaintenanceWindows: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Its windows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MaintenanceList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    addMaintenanceWindow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MaintenanceWindowInput"];
            };
        };
        responses: {
            /** @description Added; the monitor's windows after it */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MaintenanceList"] & {
                        window: components["schemas"]["MaintenanceWindow"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["MaintenanceFull"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    removeMaintenanceWindow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
                windowId: components["schemas"]["WindowId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["WindowNotFound"];
            500: components["responses"]["InternalError"];
        };
    };
}
