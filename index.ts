// slipway as a library: the component resources with their typed arguments, the pure release plan, and
// the engine functions the CLI is built on. The Pulumi program itself is `slipway/program`.
export { AthensProxy } from "./components/athensProxy";
export type {
  AthensProxyArgs,
  AthensProxySettings,
  AwsAthensProxyArgs,
  LocalEndpointAthensProxyArgs,
  LocalProcessAthensProxyArgs,
} from "./components/athensProxy";
export { BaseImage } from "./components/baseImage";
export type { BaseImageArgs } from "./components/baseImage";
export { ContainerRegistry } from "./components/containerRegistry";
export type { ContainerRegistryArgs } from "./components/containerRegistry";
export { GithubRelease } from "./components/githubRelease";
export type { GithubReleaseArgs, GithubReleaseAssetArgs } from "./components/githubRelease";
export { GoBinaries } from "./components/goBinaries";
export type { GoBinariesArgs } from "./components/goBinaries";
export { LocalRelease } from "./components/localRelease";
export type { LocalReleaseArgs } from "./components/localRelease";
export { MultiArchImage, scratchRecipe } from "./components/multiArchImage";
export type { ImageRegistryTarget, MultiArchImageArgs } from "./components/multiArchImage";
export { Release } from "./components/release";
export type { ReleaseArgs } from "./components/release";
export type { ReleaseRecord } from "./plan/releaseRecord";
export { RotatingSecret } from "./components/rotatingSecret";
export type { RotatingSecretArgs } from "./components/rotatingSecret";
export { StackSecrets } from "./components/stackSecrets";
export type { CiRegistry, StackSecretsArgs } from "./components/stackSecrets";
export { TwoSlotSecret } from "./components/twoSlotSecret";
export type { TwoSlotSecretArgs } from "./components/twoSlotSecret";
export { SlipwayInputError } from "./plan/errors";
export { planRelease } from "./plan/releasePlan";
export type { ReleaseInput, ReleasePlan } from "./plan/releasePlan";
export { parseStackConfig } from "./plan/stackConfig";
export type { GithubSettings, RegistrySettings, RotationSettings, StackSettings } from "./plan/stackConfig";
export { checkProjectFiles, releaseArgs } from "./stacks/config";
export { findProjectDir } from "./engine/environment";
export { preview } from "./engine/preview";
export type { PreviewOptions, PreviewResult } from "./engine/preview";
export { ReleaseFailed, release } from "./engine/release";
export type { ReleaseOptions, ReleaseResult } from "./engine/release";
export type { EngineOptions, StackOptions } from "./engine/stack";
export { verify } from "./engine/verify";
export type { VerifyOptions, VerifyReport } from "./engine/verify";
