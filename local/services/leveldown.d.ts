/** Types for leveldown 5 (kinesalite's LevelDB binding; the package ships none): only what the local cloud uses. */
declare module 'leveldown' {
  /** A LevelDB store at `location`, opened by levelup. */
  export default function leveldown(location: string): unknown;
}
