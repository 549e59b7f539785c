import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { SlipwayInputError } from "../plan/errors";
import { parseCommit } from "../plan/metadata";
import { GithubReleaseAsset, GithubReleasePublication } from "../providers/githubReleaseAssets";

/** One file to attach to the release. Names are fixed when the program runs; files may come from the build. */
export interface GithubReleaseAssetArgs {
  /** Asset name on GitHub: letters, digits, `.`, `_`, `-`, `+`, starting with a letter or digit (GitHub renames anything else). Required. */
  readonly name: string;
  /** Path of the built file. Required. */
  readonly path: pulumi.Input<string>;
  /** Lower-case hex sha256 of the file, as the build recorded it; the file is checked against it before upload. Required. */
  readonly sha256: pulumi.Input<string>;
  /** Media type sent as the asset's content type. Defaults to `application/octet-stream`. */
  readonly contentType?: string;
}

export interface GithubReleaseArgs {
  /** Repository owner (user or organisation). Required. */
  readonly owner: string;
  /** Repository name. Required. */
  readonly repo: string;
  /** Tag the release creates or uses, e.g. `v1.4.0`. Required. */
  readonly tagName: string;
  /** Full 40-hex commit sha the tag points at (`targetCommitish`). Required. */
  readonly commit: string;
  /** Release title. Defaults to `tagName`. */
  readonly title?: string;
  /** Marks the release as a prerelease. Required (the provider's default, true, is never relied on). */
  readonly prerelease: boolean;
  /** Makes this the repository's latest release; true only when the plan moves `latest`, never for a prerelease. Required. */
  readonly makeLatest: boolean;
  /** Release notes (Markdown), e.g. the version's CHANGELOG section. Defaults to none (an empty body). */
  readonly notes?: pulumi.Input<string>;
  /** Files to attach, all uploaded before the release is published; names must be unique. Required. */
  readonly assets: readonly GithubReleaseAssetArgs[];
  /** Token with `contents: write` on the repository; treated as a secret. Required. */
  readonly token: pulumi.Input<string>;
  /** REST API root (GitHub Enterprise Server: `https://<host>/api/v3`). Defaults to `https://api.github.com`. */
  readonly apiUrl?: string;
  /** Asset upload root (GitHub Enterprise Server: `https://<host>/api/uploads`). Defaults to `https://uploads.github.com`. */
  readonly uploadUrl?: string;
}

export const DEFAULT_API_URL = "https://api.github.com";
export const DEFAULT_UPLOAD_URL = "https://uploads.github.com";
const DEFAULT_CONTENT_TYPE = "application/octet-stream";

const GITHUB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/;
// GitHub keeps these characters in asset names as they are; others are renamed, which would break the
// name-based idempotency of re-runs.
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,254}$/;
const MEDIA_TYPE = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/;

/** `git check-ref-format` rules that matter for release tags, kept simple: no spaces, `..`, `@{`, or odd ends. */
function checkTagName(tagName: string): void {
  const bad = !/^[A-Za-z0-9][A-Za-z0-9._+/-]{0,199}$/.test(tagName) || /\.\.|\/\/|\/\.|@\{/.test(tagName) || /[./]$|\.lock$/.test(tagName);
  if (bad) throw new SlipwayInputError("github.tagName", tagName, "not a usable tag name", "use the version tag, e.g. v1.4.0");
}

function checkBaseUrl(url: string, key: string, example: string): string {
  const trimmed = url.replace(/\/+$/, "");
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  const loopback = parsed !== undefined && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(parsed.hostname);
  const ok =
    parsed !== undefined &&
    (parsed.protocol === "https:" || (parsed.protocol === "http:" && loopback)) &&
    parsed.search === "" &&
    parsed.hash === "" &&
    parsed.username === "";
  if (!ok)
    throw new SlipwayInputError(key, url, "not an https URL without query or credentials (http only on loopback)", `e.g. ${example}`);
  return trimmed;
}

function validate(args: GithubReleaseArgs): { apiUrl: string; uploadUrl: string; commit: string } {
  for (const [field, value] of [
    ["owner", args.owner],
    ["repo", args.repo],
  ] as const) {
    if (typeof value !== "string" || !GITHUB_NAME.test(value)) {
      throw new SlipwayInputError(`github.${field}`, value, `not a GitHub ${field} name`, "e.g. github: {owner: acme, repo: hello}");
    }
  }
  checkTagName(args.tagName);
  const commit = parseCommit(args.commit, "commit");
  if (args.title !== undefined && args.title.trim() === "") {
    throw new SlipwayInputError("github.title", args.title, "an empty title", "leave it unset to use the tag name");
  }
  if (args.makeLatest && args.prerelease) {
    throw new SlipwayInputError(
      "github.makeLatest",
      true,
      "GitHub never makes a prerelease the latest release",
      "set makeLatest only when the plan moves `latest`",
    );
  }
  const seen = new Set<string>();
  args.assets.forEach((asset, index) => {
    const key = `github.assets[${index}]`;
    if (!ASSET_NAME.test(asset.name)) {
      throw new SlipwayInputError(
        `${key}.name`,
        asset.name,
        "GitHub would rename this asset",
        "use letters, digits, '.', '_', '-' or '+', starting with a letter or digit",
      );
    }
    if (seen.has(asset.name)) throw new SlipwayInputError(`${key}.name`, asset.name, "listed twice", "attach each file once");
    seen.add(asset.name);
    if (asset.contentType !== undefined && !MEDIA_TYPE.test(asset.contentType)) {
      throw new SlipwayInputError(`${key}.contentType`, asset.contentType, "not a media type", "e.g. application/gzip, or leave it unset");
    }
  });
  return {
    apiUrl: checkBaseUrl(args.apiUrl ?? DEFAULT_API_URL, "github.apiUrl", DEFAULT_API_URL),
    uploadUrl: checkBaseUrl(args.uploadUrl ?? DEFAULT_UPLOAD_URL, "github.uploadUrl", DEFAULT_UPLOAD_URL),
    commit,
  };
}

/**
 * A GitHub release published in one `pulumi up`: a draft `github.Release` is created, every asset is
 * uploaded to it, then it is published. `draft` forces replacement in the bridged provider, so the
 * release stays a draft as far as that resource knows (`ignoreChanges`) and a dynamic
 * `GithubReleasePublication` that depends on every asset publishes it.
 *
 * Published releases are never modified: a changed asset is replaced only while the release is a draft,
 * and a later change to a published release fails instead of editing it. Nothing is ever deleted on
 * GitHub by this component: the release, its assets and the publication are retained when they leave
 * the stack. Name, notes and prerelease are fixed when the draft is created (see the options below).
 */
export class GithubRelease extends pulumi.ComponentResource {
  /** The numeric release id. */
  public readonly releaseId: pulumi.Output<number>;
  /** The published release's page (`html_url`). */
  public readonly url: pulumi.Output<string>;
  /** Asset name → sha256 of what is attached to the release. */
  public readonly assets: pulumi.Output<Record<string, string>>;
  /** True once the release is published. */
  public readonly published: pulumi.Output<boolean>;

  constructor(name: string, args: GithubReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:github:GithubRelease", name, {}, opts);
    const { apiUrl, uploadUrl, commit } = validate(args);
    const token = pulumi.secret(args.token);

    // An explicit provider: the release must go to the same host, owner and token as the assets, never to
    // whatever GITHUB_TOKEN/GITHUB_OWNER/GITHUB_BASE_URL the environment holds.
    const provider = new github.Provider(`${name}-github`, { owner: args.owner, token, baseUrl: `${apiUrl}/` }, { parent: this });

    const release = new github.Release(
      `${name}-release`,
      {
        repository: args.repo,
        tagName: args.tagName,
        targetCommitish: commit,
        name: args.title ?? args.tagName,
        ...(args.notes === undefined ? {} : { body: args.notes }),
        draft: true,
        prerelease: args.prerelease,
        generateReleaseNotes: false,
      },
      {
        parent: this,
        provider,
        retainOnDelete: true,
        // `draft` is ForceNew; the publication flips it on GitHub. Any update of this resource would send
        // the recorded `draft: true` again (terraform-provider-github's EditRelease sends every field) and
        // turn the published release back into a draft, so the fields it could update are fixed too.
        ignoreChanges: ["draft", "name", "body", "prerelease", "generateReleaseNotes"],
      },
    );

    const access = { owner: args.owner, repo: args.repo, releaseId: release.releaseId, token, apiUrl };
    const assets = args.assets.map(
      (asset) =>
        new GithubReleaseAsset(
          `${name}-asset-${asset.name}`,
          {
            ...access,
            uploadUrl,
            name: asset.name,
            path: asset.path,
            sha256: asset.sha256,
            contentType: asset.contentType ?? DEFAULT_CONTENT_TYPE,
            slipwayPublished: true,
          },
          { parent: this, dependsOn: [release], retainOnDelete: true },
        ),
    );
    const uploaded = pulumi.all(assets.map((asset) => pulumi.all([asset.name, asset.sha256]))).apply((pairs) => Object.fromEntries(pairs));

    const publication = new GithubReleasePublication(
      `${name}-publication`,
      { ...access, tagName: args.tagName, makeLatest: args.makeLatest, assets: uploaded, slipwayPublished: true },
      { parent: this, dependsOn: [release, ...assets], retainOnDelete: true },
    );

    this.releaseId = release.releaseId;
    this.url = publication.htmlUrl;
    this.assets = uploaded;
    this.published = publication.published;
    this.registerOutputs({ releaseId: this.releaseId, url: this.url, assets: this.assets, published: this.published });
  }
}
