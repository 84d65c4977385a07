/** Port offsets from `--port` (default 4500): one fixed slot per server so URLs stay stable. */
export const PORT_OFFSETS: Record<string, number> = {
  web: 0,
  api: 1,
  dynamodb: 2,
  sns: 3,
  kinesis: 4,
  s3: 5,
  cognito: 6,
  cloudwatch: 7,
  rekognition: 8,
  xray: 9,
  x: 10,
  sqs: 11,
  ssm: 12,
  lambda: 13,
};

export const DEFAULT_PORT_BASE = 4500;

/** The port for a server given the base port; base 0 means "any free port" (tests). */
export function portFor(base: number, server: string): number {
  if (base === 0) return 0;
  const offset = PORT_OFFSETS[server];
  if (offset === undefined) throw new Error(`no port slot for "${server}"; add it to PORT_OFFSETS`);
  return base + offset;
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly server: string,
  ) {
    super(
      `port ${port} (${server}) is already in use; stop what uses it or start with --port <base> ` +
        `(the local cloud uses ports base..base+${Math.max(...Object.values(PORT_OFFSETS))})`,
    );
  }
}
