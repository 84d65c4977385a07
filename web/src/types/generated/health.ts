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
    "/monitors/{monitorId}/push-token": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitorId: components["parameters"]["MonitorId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new push token for one's own push monitor (operators, any); the old one stops working */
        post: operations["rotatePushToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/push/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
                token: components["parameters"]["PushTokenParam"];
            };
            cookie?: never;
        };
        /** A push monitor's ping: the job ran (UP), or failed with ?status=fail */
        get: operations["getPing"];
        put?: never;
        /** A push monitor's ping: the job ran (UP), or failed with ?status=fail */
        post: operations["postPing"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/push/{token}/fail": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
                token: components["parameters"]["PushTokenParam"];
            };
            cookie?: never;
        };
        /** A push monitor's failure ping: DOWN at once */
        get: operations["getPingFail"];
        put?: never;
        /** A push monitor's failure ping: DOWN at once */
        post: operations["postPingFail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's notification channels, oldest first (no URL, no secret) */
        get: operations["listChannels"];
        put?: never;
        /**
         * Add a notification channel, owned by the caller
         * @description A webhook's signing secret is in this answer only (`secret`); it is stored sealed and never answered again. The URL must pass the address guard (as a monitor's) and, for slack, discord and teams, be on that service's webhook host. An email channel sends to the caller's own address.
         */
        post: operations["createChannel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/channels/{channelId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: components["parameters"]["ChannelId"];
            };
            cookie?: never;
        };
        /** One of the caller's channels (operators, any) */
        get: operations["getChannel"];
        put?: never;
        post?: never;
        /** Delete a channel (monitors naming it skip it from then on) */
        delete: operations["deleteChannel"];
        options?: never;
        head?: never;
        /** Rename a channel or change its URL (the new URL passes the same checks) */
        patch: operations["updateChannel"];
        trace?: never;
    };
    "/channels/{channelId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: components["parameters"]["ChannelId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test notification now (one attempt, 5 s at most) and answer how it went */
        post: operations["testChannel"];
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
            /** @description ValidationError, Unauthorized, NotFound, MethodNotAllowed, Conflict, QuotaExceeded, PayloadTooLarge, TooManyRequests, InternalError */
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
        /**
         * @description What the monitor checks: an http(s) URL, a tcp port that accepts connections, a dns record that equals expectedValue, a tls certificate only (expiry, host name, chain), or push (heartbeat) pings. Absent on monitors stored before kinds: http.
         * @default http
         * @enum {string}
         */
        MonitorKind: "http" | "push" | "tcp" | "dns" | "tls";
        /**
         * @description Minutes between two checks (absent on monitors stored before intervals; 1)
         * @default 1
         * @enum {integer}
         */
        IntervalMinutes: 1 | 5 | 15 | 60;
        /**
         * @default A
         * @enum {string}
         */
        DnsRecordType: "A" | "AAAA" | "CNAME" | "MX" | "TXT";
        /** @description A push monitor's secret, shown once (at creation and each rotation; only its hash is kept). The job calls `<api>/push/<token>` (GET or POST), `/fail` appended or `?status=fail` to report a failure. */
        PushToken: {
            token: string;
            /** @description `/push/<token>`, relative to the API URL */
            path: string;
        };
        PingResponse: {
            /** @enum {boolean} */
            ok: true;
            /**
             * @description What the ping recorded (PAUSED, the monitor is paused and the ping was only noted)
             * @enum {string}
             */
            status: "UP" | "DOWN" | "PAUSED";
        };
        /** @description Settings that do not apply to the kind are refused (`keyword: only applies to http monitors`): http takes method, expectedStatus, keyword(Absent), jsonPath, maxRedirects; http and tls tlsWarningDays; every kind but push timeoutMs and retries. */
        MonitorInput: {
            /** @description The target, written for the kind (required except for push, which takes none): http(s)://... (no user:password@), tcp://host:port, tls://host[:port] (443), dns://name (a public name). A private address is refused unless HealthAllowPrivateTargets. */
            url?: string;
            kind?: components["schemas"]["MonitorKind"];
            intervalMinutes?: components["schemas"]["IntervalMinutes"];
            recordType?: components["schemas"]["DnsRecordType"];
            /** @description dns only, required there; one record must equal it (MX as `10 mail.example.com` or the host alone) */
            expectedValue?: string;
            /** @description push only; minutes expected between two pings, default 60 */
            periodMinutes?: number;
            /** @description push only; minutes a late ping is still on time, default 5 */
            graceMinutes?: number;
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
            /** @description The owner's channels this monitor alerts, besides the operators' topic (each must exist and be the monitor owner's); none by default */
            channelIds?: string[];
        };
        /** @description Any field of MonitorInput; null removes the keyword or JSON check. `kind` may change between http, tcp, tls and dns (the old kind's settings go); a push monitor stays push. */
        MonitorPatch: {
            url?: string;
            kind?: components["schemas"]["MonitorKind"];
            intervalMinutes?: components["schemas"]["IntervalMinutes"];
            recordType?: components["schemas"]["DnsRecordType"];
            /** @description dns only, required there; one record must equal it (MX as `10 mail.example.com` or the host alone) */
            expectedValue?: string;
            /** @description push only; minutes expected between two pings, default 60 */
            periodMinutes?: number;
            /** @description push only; minutes a late ping is still on time, default 5 */
            graceMinutes?: number;
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
            /** @description The owner's channels this monitor alerts, besides the operators' topic (each must exist and be the monitor owner's); [] alerts none */
            channelIds?: string[];
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
            /** @description The target; `push://<monitorId>` for a push monitor */
            url: string;
            kind?: components["schemas"]["MonitorKind"];
            intervalMinutes?: components["schemas"]["IntervalMinutes"];
            recordType?: components["schemas"]["DnsRecordType"];
            expectedValue?: string;
            periodMinutes?: number;
            graceMinutes?: number;
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
            channelIds?: string[];
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
            push?: components["schemas"]["PushToken"];
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
            /** @description With probe regions (template parameter ProbeRegions): what each region saw, the home region first. The status above is their quorum's verdict (docs/health.md, Several regions). */
            regions?: components["schemas"]["RegionCheck"][];
        };
        RegionCheck: {
            /** @example eu-west-1 */
            region: string;
            /**
             * @description UNKNOWN - the region did not answer in time (no vote).
             * @enum {string}
             */
            status: "UP" | "DOWN" | "UNKNOWN";
            latencyMs?: number;
            statusCode?: number;
            error?: string;
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
        /** @enum {string} */
        ChannelKind: "email" | "webhook" | "slack" | "discord" | "teams";
        ChannelInput: {
            kind: components["schemas"]["ChannelKind"];
            name?: string;
            /** @description Required except for email. webhook: any http(s) URL the address guard allows; slack: https://hooks.slack.com/services/...; discord: https://discord.com/api/webhooks/<id>/<token>; teams: https://<tenant>.webhook.office.com/webhookb2/... or a Power Automate workflow URL (*.logic.azure.com, *.environment.api.powerplatform.com) */
            url?: string;
        };
        ChannelPatch: {
            name?: string;
            url?: string;
        };
        DeliveryRecord: {
            /** Format: date-time */
            at: string;
            ok: boolean;
            attempts: number;
            statusCode?: number;
            error?: string;
            /** @description MONITOR_DOWN, MONITOR_UP, CERT_EXPIRING or CHANNEL_TEST */
            event: string;
        };
        ChannelView: {
            channelId: string;
            kind: components["schemas"]["ChannelKind"];
            name: string;
            /** Format: date-time */
            createdAt: string;
            /** @description The e-mail address, or the URL's scheme, host and first path segment (never the whole URL) */
            target: string;
            lastDelivery: components["schemas"]["DeliveryRecord"] | null;
            lastFailure: components["schemas"]["DeliveryRecord"] | null;
            /** @description Deliveries that failed for good (after their retries) */
            failureCount: number;
        };
        ChannelResponse: {
            channel: components["schemas"]["ChannelView"];
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
        /** @description No push monitor has this token (`Push token not found`), whatever part of it is wrong */
        PushTokenNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A ping body over 10000 bytes (a ping's body is not read) */
        PingTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `TooManyRequests`: a ping of this monitor less than 5 seconds ago */
        TooManyPings: {
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
        /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
        PushTokenParam: string;
        MonitorId: components["schemas"]["MonitorId"];
        Limit: number;
        /** @description The nextCursor of the previous page of the same listing (opaque, signed; an altered or foreign one is a 400) */
        Cursor: string;
        Hours: number;
        IncidentLimit: number;
        ChannelId: string;
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
    rotatePushToken: {
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
            /** @description The new token, shown this once */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        monitorId: components["schemas"]["MonitorId"];
                        push: components["schemas"]["PushToken"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    getPing: {
        parameters: {
            query?: {
                /** @description fail reports a failure (DOWN at once) */
                status?: "ok" | "fail";
            };
            header?: never;
            path: {
                /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
                token: components["parameters"]["PushTokenParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PingResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["PushTokenNotFound"];
            413: components["responses"]["PingTooLarge"];
            429: components["responses"]["TooManyPings"];
            500: components["responses"]["InternalError"];
        };
    };
    postPing: {
        parameters: {
            query?: {
                /** @description fail reports a failure (DOWN at once) */
                status?: "ok" | "fail";
            };
            header?: never;
            path: {
                /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
                token: components["parameters"]["PushTokenParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PingResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["PushTokenNotFound"];
            413: components["responses"]["PingTooLarge"];
            429: components["responses"]["TooManyPings"];
            500: components["responses"]["InternalError"];
        };
    };
    getPingFail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
                token: components["parameters"]["PushTokenParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PingResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["PushTokenNotFound"];
            413: components["responses"]["PingTooLarge"];
            429: components["responses"]["TooManyPings"];
            500: components["responses"]["InternalError"];
        };
    };
    postPingFail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `<monitorId>.<secret>`, as shown when the push monitor was made or its token rotated */
                token: components["parameters"]["PushTokenParam"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recorded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PingResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["PushTokenNotFound"];
            413: components["responses"]["PingTooLarge"];
            429: components["responses"]["TooManyPings"];
            500: components["responses"]["InternalError"];
        };
    };
    listChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The channels */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        channels: components["schemas"]["ChannelView"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            500: components["responses"]["InternalError"];
        };
    };
    createChannel: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChannelInput"];
            };
        };
        responses: {
            /** @description The new channel */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        channel: components["schemas"]["ChannelView"];
                        /** @description webhook only; signs X-Kumo-Signature (docs/health.md, Notification channels) */
                        secret?: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    getChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: components["parameters"]["ChannelId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The channel */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["InternalError"];
        };
    };
    deleteChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: components["parameters"]["ChannelId"];
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
    updateChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: components["parameters"]["ChannelId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChannelPatch"];
            };
        };
        responses: {
            /** @description The channel as changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    testChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                channelId: components["parameters"]["ChannelId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery's outcome (a failed delivery is still a 200, with ok false and the error) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        delivery: components["schemas"]["DeliveryRecord"] & {
                            durationMs: number;
                        };
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
