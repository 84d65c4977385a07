/**
 * Which local function a Lambda API request names: by name, full ARN or partial ARN
 * (`123456789012:function:name`), in the region the request was signed for (or the ARN's), as Lambda
 * resolves them. A probe region's copy (`ProbeFunction@eu-west-1`) is found only in its own region.
 */
import type { FunctionModel } from '../../template/types.js';

export interface FunctionTarget {
  name: string;
  region: string;
  qualifier?: string;
}

const ARN = /^arn:[^:]+:lambda:([^:]+):\d{12}:function:([^:]+)(?::([^:]+))?$/;
const PARTIAL = /^\d{12}:function:([^:]+)(?::([^:]+))?$/;
const NAME = /^([A-Za-z0-9_-]{1,140})(?::([^:]+))?$/;

/** Parse a FunctionName path parameter; undefined when it is none of the three forms. */
export function parseFunctionName(text: string, signedRegion: string): FunctionTarget | undefined {
  const arn = ARN.exec(text);
  if (arn)
    return { region: arn[1] as string, name: arn[2] as string, ...(arn[3] ? { qualifier: arn[3] } : {}) };
  const partial = PARTIAL.exec(text) ?? NAME.exec(text);
  if (partial) {
    return {
      region: signedRegion,
      name: partial[1] as string,
      ...(partial[2] ? { qualifier: partial[2] } : {}),
    };
  }
  return undefined;
}

/** The region in a SigV4 `Authorization` header's credential scope. */
export function signedRegionOf(authorization: string | undefined): string | undefined {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/lambda\/aws4_request/.exec(authorization ?? '')?.[1];
}

/** The function `target` names among `functions` (home functions run in `homeRegion`). */
export function findFunction(
  functions: readonly FunctionModel[],
  target: FunctionTarget,
  homeRegion: string,
): FunctionModel | undefined {
  return functions.find((fn) => fn.name === target.name && (fn.region ?? homeRegion) === target.region);
}
