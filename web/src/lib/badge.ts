/**
 * The uptime badge of a public monitor: `GET /badges/{monitorId}.svg` on the health API
 * (docs/health-api.md). The `.svg` lets README renderers and image proxies treat it as an image; the
 * API reads it inside the `{monitorId}` parameter (API Gateway cannot declare the suffix) and also
 * answers the bare id.
 */
export function badgeUrl(apiUrl: string, monitorId: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/badges/${encodeURIComponent(monitorId)}.svg`;
}
