/**
 * The uptime badge of a public monitor: `GET /badges/{monitorId}` on the health API (docs/health-api.md).
 * The path has no `.svg`: an API Gateway path segment is either a parameter or literal text.
 */
export function badgeUrl(apiUrl: string, monitorId: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/badges/${encodeURIComponent(monitorId)}`;
}
