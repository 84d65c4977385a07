/** Base of the errors bundling can raise: the CLI prints their message as one line. */
export class BuildError extends Error {
  override readonly name: string = 'BuildError';
}

/** A function without `Metadata: BuildMethod: esbuild` cannot be bundled the way `sam build` would. */
export class MissingBuildMetadataError extends BuildError {
  override readonly name = 'MissingBuildMetadataError';
  constructor(readonly logicalIds: string[]) {
    super(
      `${logicalIds.join(', ')} ${logicalIds.length === 1 ? 'has' : 'have'} no esbuild Metadata ` +
        '(Metadata: BuildMethod: esbuild, BuildProperties: EntryPoints...) in the template',
    );
  }
}

/** The bundle esbuild wrote does not contain the file the function's Handler names (reported within a BundleFailedError). */
export class HandlerNotBundledError extends BuildError {
  override readonly name = 'HandlerNotBundledError';
  constructor(
    readonly logicalId: string,
    readonly handler: string,
    readonly outputs: string[],
  ) {
    super(
      `Handler ${handler} names no file of the bundle (esbuild wrote ${outputs.join(', ') || 'nothing'}); ` +
        'the part before the dot must be the basename of an EntryPoint',
    );
  }
}

/** One or more functions failed to bundle; `failures` holds each function's esbuild message. */
export class BundleFailedError extends BuildError {
  override readonly name = 'BundleFailedError';
  constructor(readonly failures: { logicalId: string; message: string }[]) {
    super(failures.map((f) => `${f.logicalId}: ${f.message}`).join('\n'));
  }
}
