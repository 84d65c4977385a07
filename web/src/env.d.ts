interface ImportMetaEnv {
  /** `vite dev` only: overrides the `apiUrl` of /config.json (or stands in for it when there is none). */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
