// Dynamic providers for the two steps @pulumi/github cannot do: attaching assets to a draft release and
// publishing it. Both talk to GitHub only through githubApi.ts. Neither ever deletes anything on GitHub:
// removing the resources from the stack forgets them, and published releases and assets are kept (the
// component also sets retainOnDelete).
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { containsUnknown } from "./toolkit";
import { GithubClient, ensureAsset, getRelease, listAssets, publishRelease, publishedRefusal } from "./githubApi";

/** Where the release is and how to reach it. `token` arrives as a secret and is stored only as one. */
export interface GithubReleaseRef {
  readonly owner: string;
  readonly repo: string;
  /** The numeric id of the release (`github.Release.releaseId`). */
  readonly releaseId: number;
  readonly token: string;
  readonly apiUrl: string;
  readonly uploadUrl: string;
}

export interface GithubReleaseAssetInputs extends GithubReleaseRef {
  /** Asset name on GitHub; only characters GitHub keeps as they are, so the name it lists is this one. */
  readonly name: string;
  /** Path of the built file on this machine; where it lies does not matter, only what it holds. */
  readonly path: string;
  /** Lower-case hex sha256 of the file, as the build recorded it. */
  readonly sha256: string;
  readonly contentType: string;
  /** Marks a published artifact, for the policy pack. */
  readonly slipwayPublished: true;
}

export interface GithubReleaseAssetOutputs extends GithubReleaseAssetInputs {
  readonly assetId: number;
  readonly size: number;
  readonly downloadUrl: string;
}

export interface GithubReleasePublicationInputs extends Omit<GithubReleaseRef, "uploadUrl"> {
  readonly tagName: string;
  /** Sent as `make_latest`; only true when the plan moves `latest`. */
  readonly makeLatest: boolean;
  /** Asset name → sha256 that must be on the draft, and nothing else, before it is published. */
  readonly assets: Record<string, string>;
  /** Marks a published artifact, for the policy pack. */
  readonly slipwayPublished: true;
}

export interface GithubReleasePublicationOutputs extends GithubReleasePublicationInputs {
  /** Always true once created: a publication that could not publish fails instead. */
  readonly published: boolean;
  readonly htmlUrl: string;
  readonly publishedAt: string;
  /** True when the release was found already published with exactly these assets (e.g. after an interrupted run). */
  readonly adopted: boolean;
}

function clientOf(ref: Omit<GithubReleaseRef, "uploadUrl"> & { readonly uploadUrl?: string }): GithubClient {
  return {
    apiUrl: ref.apiUrl,
    uploadUrl: ref.uploadUrl ?? ref.apiUrl,
    owner: ref.owner,
    repo: ref.repo,
    token: ref.token,
  };
}

function assetId(inputs: GithubReleaseAssetInputs): string {
  return `${inputs.owner}/${inputs.repo}/releases/${inputs.releaseId}/assets/${inputs.name}`;
}

const SHA256 = /^[0-9a-f]{64}$/;

async function putAsset(inputs: GithubReleaseAssetInputs, olds?: GithubReleaseAssetOutputs): Promise<GithubReleaseAssetOutputs> {
  if (!SHA256.test(inputs.sha256)) {
    throw new Error(`${inputs.name}: sha256 ${JSON.stringify(inputs.sha256)} is not 64 lower-case hex digits`);
  }
  const recorded = olds !== undefined && olds.releaseId === inputs.releaseId ? { assetId: olds.assetId, sha256: olds.sha256 } : undefined;
  const ensured = await ensureAsset(
    clientOf(inputs),
    inputs.releaseId,
    { name: inputs.name, path: inputs.path, sha256: inputs.sha256, contentType: inputs.contentType },
    recorded,
  );
  return {
    ...inputs,
    assetId: ensured.asset.id,
    size: ensured.asset.size,
    downloadUrl: ensured.asset.downloadUrl,
  };
}

const ASSET_IDENTITY = ["owner", "repo", "releaseId", "name"] as const;
const ASSET_CONTENT = ["sha256", "contentType"] as const;
const ASSET_ACCESS = ["token", "apiUrl", "uploadUrl"] as const;

/**
 * One release asset. Identity (repository, release, name) changes replace it; content changes update it
 * in place, which replaces the file on GitHub while the release is a draft and is refused once it is
 * published. A new `path` with the same sha256 is no change at all.
 */
export const githubReleaseAssetProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: GithubReleaseAssetInputs) {
    return { id: assetId(inputs), outs: await putAsset(inputs) };
  },

  async diff(_id: string, olds: GithubReleaseAssetOutputs, news: GithubReleaseAssetInputs) {
    const replaces: string[] = ASSET_IDENTITY.filter((key) => olds[key] !== news[key]);
    const content: string[] = ASSET_CONTENT.filter((key) => olds[key] !== news[key]);
    const access: string[] = ASSET_ACCESS.filter((key) => olds[key] !== news[key]);
    // Refuse at preview time what update would refuse, when everything needed to know is known.
    if (replaces.length === 0 && content.length > 0 && !containsUnknown(news)) {
      const release = await getRelease(clientOf(news), news.releaseId);
      if (!release.draft) throw new Error(publishedRefusal(news, release, `changing ${content.join(", ")} of asset ${news.name}`));
    }
    const changed = [...replaces, ...content, ...access];
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async update(_id: string, olds: GithubReleaseAssetOutputs, news: GithubReleaseAssetInputs) {
    return { outs: await putAsset(news, olds) };
  },

  async read(id: string, props: GithubReleaseAssetOutputs) {
    const found = (await listAssets(clientOf(props), props.releaseId)).find((a) => a.name === props.name);
    if (found === undefined) return { id: "", props: {} };
    const sha256 = found.digest?.startsWith("sha256:") === true ? found.digest.slice("sha256:".length) : props.sha256;
    return {
      id,
      props: { ...props, assetId: found.id, size: found.size, downloadUrl: found.downloadUrl, sha256, contentType: found.contentType },
    };
  },

  // Forgetting an asset never deletes it from GitHub: a published asset outlives the stack's memory of it.
  async delete() {},
};

async function publish(inputs: GithubReleasePublicationInputs): Promise<GithubReleasePublicationOutputs> {
  const client = clientOf(inputs);
  const release = await getRelease(client, inputs.releaseId);
  const problem = assetMismatch(inputs.assets, await listAssets(client, inputs.releaseId));
  if (!release.draft) {
    // Published before (an interrupted run, or by hand): adopt it only if it is exactly what was planned.
    if (problem !== undefined) throw new Error(publishedRefusal(client, release, `publishing it with other assets (${problem})`));
    return { ...inputs, published: true, htmlUrl: release.htmlUrl, publishedAt: release.publishedAt ?? "", adopted: true };
  }
  if (problem !== undefined) {
    throw new Error(`${inputs.owner}/${inputs.repo} draft release ${release.tagName} is not published: ${problem}`);
  }
  const published = await publishRelease(client, inputs.releaseId, inputs.makeLatest);
  return { ...inputs, published: true, htmlUrl: published.htmlUrl, publishedAt: published.publishedAt ?? "", adopted: false };
}

/** Why the assets on GitHub are not exactly `expected`, or undefined when they are. */
export function assetMismatch(
  expected: Readonly<Record<string, string>>,
  actual: readonly { readonly name: string; readonly state: string; readonly digest: string | null }[],
): string | undefined {
  const problems: string[] = [];
  for (const [name, sha256] of Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const asset = actual.find((a) => a.name === name);
    if (asset === undefined) problems.push(`${name} is missing`);
    else if (asset.state !== "uploaded") problems.push(`${name} is only partly uploaded`);
    else if (asset.digest !== null && asset.digest !== `sha256:${sha256}`)
      problems.push(`${name} is ${asset.digest}, not sha256:${sha256}`);
  }
  const extra = actual
    .map((a) => a.name)
    .filter((name) => !(name in expected))
    .sort();
  if (extra.length > 0)
    problems.push(`unexpected asset${extra.length > 1 ? "s" : ""} ${extra.join(", ")} (delete from the draft or add to the release)`);
  return problems.length === 0 ? undefined : problems.join("; ");
}

const PUBLICATION_IDENTITY = ["owner", "repo", "releaseId"] as const;
const PUBLICATION_ACCESS = ["token", "apiUrl"] as const;

function samePublication(olds: GithubReleasePublicationOutputs, news: GithubReleasePublicationInputs): string[] {
  const changed: string[] = [];
  if (olds.tagName !== news.tagName) changed.push("tagName");
  if (olds.makeLatest !== news.makeLatest) changed.push("makeLatest");
  const oldAssets = JSON.stringify(Object.entries(olds.assets).sort());
  const newAssets = JSON.stringify(Object.entries(news.assets).sort());
  if (oldAssets !== newAssets) changed.push("assets");
  return changed;
}

/**
 * Publishes a draft release once every asset is on it (the component makes it depend on all of them).
 * Once published it never touches the release again: a later change to what was published is an error,
 * only a new release (a different release id) replaces it; new credentials are just recorded.
 */
export const githubReleasePublicationProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: GithubReleasePublicationInputs) {
    return { id: `${inputs.owner}/${inputs.repo}/releases/${inputs.releaseId}`, outs: await publish(inputs) };
  },

  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: GithubReleasePublicationOutputs, news: GithubReleasePublicationInputs) {
    const replaces: string[] = PUBLICATION_IDENTITY.filter((key) => olds[key] !== news[key]);
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
    // In preview an asset being updated makes `assets` unknown; `up` diffs again with the real values.
    const changed = containsUnknown(news) ? [] : samePublication(olds, news);
    if (changed.length > 0) {
      throw new Error(
        `${news.owner}/${news.repo} release ${olds.tagName} is published, so changing its ${changed.join(", ")} is refused: published releases are never modified (release a new version instead)`,
      );
    }
    const access: string[] = PUBLICATION_ACCESS.filter((key) => olds[key] !== news[key]);
    return { changes: access.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  // Reached only for new credentials (diff refuses everything else): records them, calls nothing.
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id: string, olds: GithubReleasePublicationOutputs, news: GithubReleasePublicationInputs) {
    return { outs: { ...olds, token: news.token, apiUrl: news.apiUrl } };
  },

  // Unpublishing or deleting is never done: published releases are kept.
  async delete() {},
};

/** A file attached to a GitHub release; see {@link githubReleaseAssetProvider}. */
export class GithubReleaseAsset extends DynamicResource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly sha256: pulumi.Output<string>;
  declare public readonly assetId: pulumi.Output<number>;
  declare public readonly size: pulumi.Output<number>;
  declare public readonly downloadUrl: pulumi.Output<string>;
  declare public readonly token: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<GithubReleaseAssetInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      githubReleaseAssetProvider,
      name,
      { ...args, token: pulumi.secret(args.token), assetId: undefined, size: undefined, downloadUrl: undefined },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
      "slipway",
      "GithubReleaseAsset",
    );
  }
}

/** The step that turns the draft into a published release; see {@link githubReleasePublicationProvider}. */
export class GithubReleasePublication extends DynamicResource {
  declare public readonly published: pulumi.Output<boolean>;
  declare public readonly htmlUrl: pulumi.Output<string>;
  declare public readonly publishedAt: pulumi.Output<string>;
  declare public readonly adopted: pulumi.Output<boolean>;
  declare public readonly token: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<GithubReleasePublicationInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      githubReleasePublicationProvider,
      name,
      {
        ...args,
        token: pulumi.secret(args.token),
        published: undefined,
        htmlUrl: undefined,
        publishedAt: undefined,
        adopted: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["token"] }),
      "slipway",
      "GithubReleasePublication",
    );
  }
}
