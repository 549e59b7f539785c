/** What one release published, as the stack remembers it (the `releases` output, keyed by version). */
export interface ReleaseRecord {
  readonly commit: string;
  /** Asset name → sha256. */
  readonly assets: Readonly<Record<string, string>>;
  /** Registry name → tag → digest. */
  readonly tags: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Where the release can be found: the GitHub release page or the local directory. */
  readonly location: string;
}
