export {
  type BundleOptions,
  type BundleResult,
  bundleFunctions,
  defaultBuildDir,
} from './bundle-functions.js';
export { bundleDir, bundleExtension, bundlePath, splitHandler } from './bundle-path.js';
export {
  BuildError,
  BundleFailedError,
  HandlerNotBundledError,
  MissingBuildMetadataError,
} from './errors.js';
export { esbuildOptions } from './esbuild-options.js';
export { BundleFreshness } from './freshness.js';
