// Where the Homebrew formula and the Scoop manifest are committed (`slipway:homebrew`, `slipway:scoop`):
// a GitHub repository (the release stack) or a local git repository standing in for it (the local stack).
import { SlipwayInputError } from "./errors";
import { rejectUnknownFields } from "./fields";

export type TapKind = "homebrew" | "scoop";

export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

export type TapRepository =
  | { readonly kind: "github"; readonly owner: string; readonly repo: string; readonly branch: string; readonly tokenSecret: string }
  | { readonly kind: "local"; readonly path: string; readonly branch: string };

export interface TapSettings {
  readonly repository: TapRepository;
  /** Directory inside the repository (`""`: its root): `Formula` (or `Casks`) for Homebrew, `bucket` for Scoop by default. */
  readonly directory: string;
  readonly author: CommitAuthor;
  readonly description: string | undefined;
  readonly homepage: string | undefined;
  readonly license: string | undefined;
  /** Homebrew only: the test block's body, Ruby. */
  readonly test: string | undefined;
  /** Homebrew only: a cask instead of a formula. */
  readonly cask: boolean;
}

export const DEFAULT_AUTHOR: CommitAuthor = { name: "slipway", email: "slipway@users.noreply.github.com" };
const COMMON_FIELDS = ["repository", "path", "branch", "tokenSecret", "directory", "author", "description", "homepage", "license"];
const FIELDS: Record<TapKind, readonly string[]> = {
  homebrew: [...COMMON_FIELDS, "test", "cask"],
  scoop: COMMON_FIELDS,
};
const OWNER_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;
const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
const DIRECTORY = /^(?:[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)?$/;
const SETTING_KEY = /^[A-Za-z][A-Za-z0-9]*$/;
const EMAIL = /^[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+$/;

function optionalText(entry: Record<string, unknown>, name: string, key: string): string | undefined {
  const value = entry[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "" || /[\r\n]/.test(value)) {
    throw new SlipwayInputError(`${key}.${name}`, value, "must be one non-empty line", "quote the value, or remove the field");
  }
  return value;
}

function parseAuthor(raw: unknown, key: string): CommitAuthor {
  if (raw === undefined) return DEFAULT_AUTHOR;
  const entry = (raw ?? {}) as Record<string, unknown>;
  const name = typeof entry.name === "string" ? entry.name.trim() : "";
  const email = typeof entry.email === "string" ? entry.email : "";
  if (name === "" || !EMAIL.test(email) || Object.keys(entry).some((k) => k !== "name" && k !== "email")) {
    throw new SlipwayInputError(`${key}.author`, raw, "must be {name, email}", "e.g. author: {name: Release Bot, email: bot@example.com}");
  }
  return { name, email };
}

function parseRepository(entry: Record<string, unknown>, kind: TapKind, key: string): TapRepository {
  const branch = optionalText(entry, "branch", key) ?? "main";
  if (!BRANCH.test(branch) || branch.includes("..")) {
    throw new SlipwayInputError(`${key}.branch`, branch, "not a branch name", "e.g. main");
  }
  const repository = optionalText(entry, "repository", key);
  const path = optionalText(entry, "path", key);
  const example = kind === "homebrew" ? "acme/homebrew-tap" : "acme/scoop-bucket";
  if ((repository === undefined) === (path === undefined)) {
    throw new SlipwayInputError(
      key,
      { repository, path },
      "needs exactly one of repository (a GitHub owner/repo) and path (a local git repository)",
      `e.g. ${key}: {repository: ${example}, tokenSecret: tapToken}`,
    );
  }
  if (path !== undefined) {
    if (entry.tokenSecret !== undefined) {
      throw new SlipwayInputError(`${key}.tokenSecret`, entry.tokenSecret, "a local repository takes no token", "remove tokenSecret");
    }
    return { kind: "local", path, branch };
  }
  const match = OWNER_REPO.exec(repository as string);
  if (match === null) {
    throw new SlipwayInputError(`${key}.repository`, repository, "not a GitHub owner/repo", `e.g. ${example}`);
  }
  const tokenSecret = entry.tokenSecret;
  if (typeof tokenSecret !== "string" || !SETTING_KEY.test(tokenSecret)) {
    throw new SlipwayInputError(
      `${key}.tokenSecret`,
      tokenSecret,
      `committing to ${repository as string} needs a token that may write to it`,
      `name a secret setting, e.g. tokenSecret: tapToken, then pulumi config set --secret slipway:tapToken <token>`,
    );
  }
  return { kind: "github", owner: match[1] as string, repo: match[2] as string, branch, tokenSecret };
}

/** The tap or bucket settings; `undefined` when the setting is unset. */
export function parseTapSettings(raw: unknown, kind: TapKind): TapSettings | undefined {
  if (raw === undefined) return undefined;
  const key = kind;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SlipwayInputError(key, raw, "must be an object", `e.g. ${key}: {path: dist/${kind}}`);
  }
  const entry = raw as Record<string, unknown>;
  rejectUnknownFields(entry, FIELDS[kind], key);
  const cask = entry.cask ?? false;
  if (typeof cask !== "boolean") {
    throw new SlipwayInputError(`${key}.cask`, cask, "must be true or false", "write cask: true for a cask");
  }
  const directory =
    entry.directory === "" ? "" : (optionalText(entry, "directory", key) ?? (kind === "scoop" ? "bucket" : cask ? "Casks" : "Formula"));
  if (!DIRECTORY.test(directory) || directory.split("/").includes("..")) {
    throw new SlipwayInputError(`${key}.directory`, directory, "not a directory inside the repository", "e.g. Formula");
  }
  const test = entry.test;
  if (test !== undefined && (typeof test !== "string" || test.trim() === "")) {
    throw new SlipwayInputError(`${key}.test`, test, "must be Ruby code", 'e.g. test: system "#{bin}/hello", "--version"');
  }
  return {
    repository: parseRepository(entry, kind, key),
    directory,
    author: parseAuthor(entry.author, key),
    description: optionalText(entry, "description", key),
    homepage: optionalText(entry, "homepage", key),
    license: optionalText(entry, "license", key),
    test,
    cask,
  };
}

/** The secret setting a tap needs, if any. */
export function tapTokenSecret(settings: TapSettings | undefined): string | undefined {
  return settings?.repository.kind === "github" ? settings.repository.tokenSecret : undefined;
}

/** Stands in for an archive's sha256 that only the update computes (a new build), in a previewed tap file. */
export function unbuiltSha256(asset: string): string {
  return `(sha256 of ${asset}, from the build)`;
}
