// What verify asks services other than a plain registry: ECR for an authorization token (through an
// injectable source, the aws CLI by default) and GitHub for the release and its assets.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ReleaseObservation } from "../plan/verifyChecklist";
import { listAssets, listReleases } from "../providers/githubApi";
import { RepositoryRef } from "../providers/registryClient";

/** ECR's GetAuthorizationToken answer for one region (`authorizationData[0]`). */
export interface EcrAuthorization {
  /** base64 of `AWS:<password>`. */
  readonly authorizationToken: string;
  /** The account's registry, e.g. `https://123456789012.dkr.ecr.us-east-1.amazonaws.com`. */
  readonly proxyEndpoint: string;
}

/** Calls ECR GetAuthorizationToken in a region. */
export type EcrAuthorizationSource = (region: string) => Promise<EcrAuthorization>;

/** GetAuthorizationToken through the aws CLI and its usual credentials (environment, profile, role). */
export const awsCliEcrAuthorization: EcrAuthorizationSource = async (region) => {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)("aws", ["ecr", "get-authorization-token", "--region", region, "--output", "json"], {
      timeout: 60_000,
    }));
  } catch (error) {
    const text = error instanceof Error ? ((error as { stderr?: string }).stderr ?? "").trim() || error.message : String(error);
    throw new Error(`aws ecr get-authorization-token --region ${region} failed: ${text.split("\n")[0] ?? ""}`);
  }
  const data = (JSON.parse(stdout) as { authorizationData?: EcrAuthorization[] }).authorizationData?.[0];
  if (data === undefined) throw new Error(`aws ecr get-authorization-token --region ${region} returned no authorization data`);
  return data;
};

/** The ECR repository `imageName` of the account and region the token is for, with `AWS:<password>` as its login. */
export function ecrRepositoryRef(authorization: EcrAuthorization, imageName: string): RepositoryRef {
  const login = Buffer.from(authorization.authorizationToken, "base64").toString("utf8");
  const colon = login.indexOf(":");
  if (colon < 0) throw new Error("the ECR authorization token is not <user>:<password>");
  return {
    registry: authorization.proxyEndpoint.replace(/^https?:\/\//, "").replace(/\/+$/, ""),
    repository: imageName,
    credentials: { username: login.slice(0, colon), password: login.slice(colon + 1) },
  };
}

export interface GithubReleaseTarget {
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  /** Undefined when the stack has none: the release then cannot be checked. */
  readonly token: string | undefined;
  /** The exact-version tag, `v1.4.0`. */
  readonly tag: string;
}

/** The release with the exact tag and its assets, as GitHub lists them; `notCheckable` when GitHub cannot be asked. */
export async function observeGithubRelease(location: string, target: GithubReleaseTarget): Promise<ReleaseObservation> {
  const base = { kind: "github" as const, location, tag: target.tag, assets: {} };
  if (target.token === undefined || target.token === "") return { ...base, notCheckable: "the stack has no GitHub token to read it with" };
  const client = { ...target, token: target.token, uploadUrl: "", retry: { maxAttempts: 2 } };
  try {
    const release = (await listReleases(client)).find((r) => r.tagName === target.tag);
    if (release === undefined) return base;
    const assets = Object.fromEntries((await listAssets(client, release.id)).map((a) => [a.name, { digest: a.digest, state: a.state }]));
    return { ...base, release: { tagName: release.tagName, draft: release.draft, htmlUrl: release.htmlUrl }, assets };
  } catch (error) {
    return { ...base, notCheckable: error instanceof Error ? error.message : String(error) };
  }
}
