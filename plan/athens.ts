// The shared vocabulary of the private Go module proxy (Athens v0.18.0): pinned version, defaults, modes
// and the argument types of the pure modules beside it — athensValidate (settings checks), athensRender
// (server and client environment), athensAws (ECS pieces), athensSettings (typed stack settings) and
// athensSealedStorage. No @pulumi import, no I/O; see docs/athens.md.

/** The Athens release every kind runs (image tag for ECS, `go install …/cmd/proxy@` for local). */
export const ATHENS_VERSION = "v0.18.0";
/** Port Athens listens on inside its container. */
export const ATHENS_CONTAINER_PORT = 3000;
/** The only host a local Athens may listen on. */
export const LOCAL_LISTEN_HOST = "127.0.0.1";
export const DEFAULT_LOCAL_PORT = 3000;
/** A local Athens's disk storage and run directory, relative to the project. */
export const DEFAULT_LOCAL_STORAGE_DIR = ".slipway/athens/storage";
export const DEFAULT_LOCAL_STATE_DIR = ".slipway/athens/run";
/** Where Athens fetches what it does not have (its inner `GOPROXY`): notarized zips, no VCS rebuilds (#2145). */
export const DEFAULT_UPSTREAM = "https://proxy.golang.org";

/**
 * `warm`: fetch misses from upstream and store them (`sync` + `strict`); `sealed`: serve storage only,
 * a miss is a 404 and `/@v/list` never reaches upstream (`none` + `offline`, athens.md §5).
 */
export const ATHENS_MODES = ["warm", "sealed"] as const;
export type AthensMode = (typeof ATHENS_MODES)[number];

/** Per-pattern download modes; the `redirect` modes send clients elsewhere and are never hermetic. */
export const RULE_MODES = ["sync", "async", "none"] as const;
export type RuleMode = (typeof RULE_MODES)[number];

export interface DownloadRule {
  /** A Go `path.Match` pattern over module paths, e.g. `github.com/acme/*`. */
  readonly pattern: string;
  readonly mode: RuleMode;
}

export interface DownloadModeArgs {
  readonly mode: AthensMode;
  /** First match wins, as in Athens. Defaults to none. */
  readonly rules?: readonly DownloadRule[];
}

/** Settings every kind that runs Athens itself shares. */
export interface AthensCommonArgs extends DownloadModeArgs {
  /** The upstream Go module proxy Athens fetches from. Defaults to {@link DEFAULT_UPSTREAM}. */
  readonly upstream?: string;
  /** Module path patterns of private modules (GOPRIVATE syntax). Defaults to none. */
  readonly privatePatterns?: readonly string[];
  /** A non-default checksum database (`GOSUMDB` syntax). Defaults to the Go default. */
  readonly gosumdb?: string;
}

export type AthensStorage =
  { readonly type: "disk"; readonly root: string } | { readonly type: "s3"; readonly bucket: string; readonly region: string };

export type SingleFlight = { readonly type: "memory" } | { readonly type: "redis"; readonly endpoint: string };

export interface AthensServerArgs extends AthensCommonArgs {
  /** `host:port` to listen on; `:3000` in a container. */
  readonly listen: string;
  readonly storage: AthensStorage;
  /** Defaults to memory (a single instance). */
  readonly singleFlight?: SingleFlight;
  /** `json` for CloudWatch, `plain` for a terminal. Defaults to plain. */
  readonly logFormat?: "plain" | "json";
}

export interface GoClientArgs {
  /** The Athens URL builds fetch modules from (may carry basic-auth credentials). */
  readonly goproxy: string;
  readonly privatePatterns?: readonly string[];
  readonly gosumdb?: string;
}
