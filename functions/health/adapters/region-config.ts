/**
 * ProbeRegions from the environment (template.yaml: PROBE_REGIONS, PROBE_QUORUM, PROBE_FUNCTION_NAME).
 * Read by hand rather than with zod: the scheduled checker keeps zod out of its bundle.
 */
import { quorumFor } from '../domain/quorum.js';

export interface RegionConfig {
  homeRegion: string;
  /** The probe regions other than the home one, without repeats. */
  regions: string[];
  /** DOWN votes that make a monitor DOWN, among the home region and `regions`. */
  quorum: number;
  functionName: string;
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The regions configuration, or `undefined` when no probe region is set (the checker judges from its
 * own region alone).
 *
 * @throws Error naming the variable when a region name or the quorum is invalid
 */
export function loadRegionConfig(
  env: Readonly<Record<string, string | undefined>>,
): RegionConfig | undefined {
  const homeRegion = env.AWS_REGION ?? 'us-east-1';
  const listed = (env.PROBE_REGIONS ?? '')
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  const invalid = listed.filter((region) => !REGION_PATTERN.test(region));
  if (invalid.length > 0)
    throw new Error(`Invalid configuration: PROBE_REGIONS has invalid regions ${invalid.join(', ')}`);
  const regions = [...new Set(listed)].filter((region) => region !== homeRegion);
  if (regions.length === 0) return undefined;
  const functionName = env.PROBE_FUNCTION_NAME?.trim() ?? '';
  if (functionName === '') throw new Error('Invalid configuration: PROBE_FUNCTION_NAME is not set');
  const quorumText = env.PROBE_QUORUM?.trim() ?? '';
  const configured = quorumText === '' ? 0 : Number(quorumText);
  if (!Number.isInteger(configured) || configured < 0) {
    throw new Error('Invalid configuration: PROBE_QUORUM must be 0 (a majority) or a number of regions');
  }
  return { homeRegion, regions, quorum: quorumFor(regions.length + 1, configured), functionName };
}
