// One real project released both ways: github.com/junegunn/fzf v0.65.2, from the Go module proxy (pinned
// by its h1 sum, never stored here), released cold by the installed slipway package (`slipway init
// --from-goreleaser`, `slipway release` on the local stack) and by GoReleaser from the project's own
// .goreleaser.yml, with the same platforms, archives and checksums. The pure half (the GoReleaser config
// edit, the archive comparison) is tested in test/bench/report.test.ts.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { COMMIT_DATE, UserRepo, userEnv } from "../test/e2e/support/userRepo";
import { fetchGoModule } from "../test/support/goModule";
import { freePort, startRegistry } from "../test/support/registry";
import { TOOLCHAIN_DIR } from "../test/support/toolchain";
import { timed } from "./timed";

export const FZF = { path: "github.com/junegunn/fzf", version: "v0.65.2", sum: "h1:Uz6Qey1K4JoGNMskYlwRDnGuCEu/sAh+NxQ4YdX3yn0=" } as const;
/** The released version, as both tools name it in archive names. */
const VERSION = FZF.version.slice(1);
/** The platforms both release: a fixed subset of fzf's own (its release builds 20+). */
export const FZF_PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7", "darwin/arm64", "windows/amd64"] as const;

const ARCHIVE = /\.(tar\.gz|tgz|tar\.xz|txz|tar|zip)$/;
// The checksums file itself, not its signature bundles (`.cosign.bundle`, `.sigstore.json`).
const CHECKSUMS = /(checksums\.txt|SHA256SUMS)$/;

/** The module's directory in the shared test module cache (downloaded once, checked against its h1 sum). */
export function fzfSource(): string {
  return fetchGoModule(FZF.path, FZF.version, FZF.sum);
}

/**
 * The project's own .goreleaser.yml, edited only as far as an offline run of the same scope needs: the
 * builds' goos/goarch/goarm/ignore give exactly `platforms`; no `before` hooks (its `go mod download` needs
 * the network; the module cache is warm); no notarize/sign/publish/announce/docker/nfpm/brew/… sections;
 * `release: disable`, `changelog: disable`. Everything else (flags, ldflags, archives, checksum) stays.
 */
export function peerConfig(source: string, platforms: readonly string[]): string {
  const document = parseDocument(source);
  const targets = platforms.map((p) => {
    const [os = "", arch = "", variant] = p.split("/");
    return { os, arch, arm: arch === "arm" ? (variant ?? "v7").replace(/^v/, "") : undefined };
  });
  const goos = [...new Set(targets.map((t) => t.os))];
  const goarch = [...new Set(targets.map((t) => t.arch))];
  const goarm = [...new Set(targets.flatMap((t) => (t.arm === undefined ? [] : [t.arm])))];
  if (goarm.length > 1) throw new Error(`one GOARM level per release here, not ${goarm.join(", ")}`);
  const ignore = goos.flatMap((os) =>
    goarch.filter((arch) => !targets.some((t) => t.os === os && t.arch === arch)).map((arch) => ({ goos: os, goarch: arch })),
  );
  const builds = (document.get("builds") as { items?: unknown[] } | undefined)?.items?.length ?? 0;
  if (builds === 0) document.set("builds", [{}]);
  for (let i = 0; i < Math.max(builds, 1); i++) {
    for (const key of ["targets", "goarm", "ignore"]) document.deleteIn(["builds", i, key]);
    document.setIn(["builds", i, "goos"], goos);
    document.setIn(["builds", i, "goarch"], goarch);
    if (goarm.length > 0) document.setIn(["builds", i, "goarm"], goarm);
    if (ignore.length > 0) document.setIn(["builds", i, "ignore"], ignore);
  }
  for (const key of PEER_REMOVED) document.delete(key);
  document.set("release", { disable: true });
  document.set("changelog", { disable: true });
  return document.toString({ lineWidth: 0 });
}

/** Top-level GoReleaser sections the peer drops: network at build time, or work outside the compared scope. */
export const PEER_REMOVED = [
  "before",
  "after",
  "notarize",
  "signs",
  "binary_signs",
  "docker_signs",
  "dockers",
  "dockers_v2",
  "docker_manifests",
  "nfpms",
  "brews",
  "homebrew_casks",
  "scoops",
  "winget",
  "nix",
  "aurs",
  "aur_sources",
  "krews",
  "snapcrafts",
  "chocolateys",
  "publishers",
  "blobs",
  "uploads",
  "artifactories",
  "announce",
  "sboms",
  "kos",
  "upx",
  "milestones",
  "universal_binaries",
  "source",
] as const;

/** Archive and checksum files among `files`: what the two releases must agree on. */
export function releasedFiles(files: readonly string[]): { archives: string[]; checksums: string[] } {
  return { archives: files.filter((f) => ARCHIVE.test(f)).sort(), checksums: files.filter((f) => CHECKSUMS.test(f)).sort() };
}

/** Throws unless both produced the same archive names and each a checksums file. */
export function compareReleases(slipway: readonly string[], goreleaser: readonly string[]): void {
  const a = releasedFiles(slipway);
  const b = releasedFiles(goreleaser);
  if (a.archives.length === 0 || a.archives.join("\n") !== b.archives.join("\n")) {
    throw new Error(`the archives differ: slipway ${a.archives.join(", ") || "(none)"}; goreleaser ${b.archives.join(", ") || "(none)"}`);
  }
  if (a.checksums.length !== 1 || b.checksums.length !== 1)
    throw new Error(`checksums files: slipway ${a.checksums.join(", ") || "(none)"}; goreleaser ${b.checksums.join(", ") || "(none)"}`);
}

export interface FzfRun {
  readonly seconds: number;
  /** Top-level files of the release directory. */
  readonly files: string[];
}

/**
 * A cold `slipway release 0.65.2 --stack local --yes` in a fresh repository of the module with the packed
 * slipway installed: new state, the stack's own empty Go module and build caches (dist/build/.cache), a
 * fresh Athens (storage in .slipway/, filled from the upstream proxy) and a fresh registry; no image.
 */
export async function measureFzfSlipway(tarball: string): Promise<FzfRun> {
  const repo = new UserRepo("fzf", fzfSource());
  const registry = await startRegistry();
  try {
    repo.install(tarball);
    const init = await repo.slipway(["init", "--from-goreleaser"]);
    if (init.code !== 0 && init.code !== 3)
      throw new Error(`slipway init --from-goreleaser exited ${init.code}:\n${init.stdout}${init.stderr}`);
    const port = await freePort();
    let released: string[] = [];
    repo.editStack("local", (config) => {
      config["slipway:registries"] = [{ kind: "local", address: registry.address }];
      config["slipway:athens"] = { kind: "local", source: "process", port };
      const keep = (list: unknown) => (list as string[]).filter((p) => (FZF_PLATFORMS as readonly string[]).includes(p));
      if (Array.isArray(config["slipway:platforms"])) {
        released = keep(config["slipway:platforms"]);
        config["slipway:platforms"] = released;
      }
      const builds = config["slipway:builds"] as { platforms?: string[] }[] | undefined;
      if (builds !== undefined) {
        config["slipway:builds"] = builds.map((b) => (b.platforms === undefined ? b : { ...b, platforms: keep(b.platforms) }));
        released = [...new Set([...released, ...builds.flatMap((b) => keep(b.platforms ?? []))])];
      }
      config["slipway:imagePlatforms"] = [];
    });
    if ([...released].sort().join() !== [...FZF_PLATFORMS].sort().join())
      throw new Error(`the stack releases ${released.join(", ")}, not ${FZF_PLATFORMS.join(", ")}`);

    const seconds = await timed(
      process.execPath,
      [join(repo.dir, "node_modules", "slipway", "bin", "slipway.js"), "release", VERSION, "--stack", "local", "--yes"],
      { cwd: repo.dir, env: userEnv() },
    );
    return { seconds, files: readdirSync(join(repo.dir, "dist", "releases", VERSION)) };
  } finally {
    // Stops the stack's Athens; then nothing of the round is kept.
    try {
      repo.pulumi(["destroy", "--stack", "local", "--yes"]);
    } catch (error) {
      console.error(`bench: destroying the fzf stack failed: ${error instanceof Error ? error.message.slice(0, 2000) : String(error)}`);
    }
    await registry.stop();
    rmSync(dirname(repo.dir), { recursive: true, force: true });
    rmSync(registry.dir, { recursive: true, force: true });
  }
}

/** A module cache holding fzf's dependencies, for GoReleaser's runs ("warm"); downloaded outside the timing. */
export function warmFzfModuleCache(cache: string): void {
  const result = spawnSync("go", ["mod", "download"], {
    cwd: fzfSource(),
    encoding: "utf8",
    env: { ...(process.env as Record<string, string>), GOMODCACHE: cache, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local" },
  });
  if (result.status !== 0) throw new Error(`go mod download (fzf) exited ${result.status}:\n${result.stderr}`);
}

/**
 * `goreleaser release --clean --skip=publish,announce,validate` in a fresh git repository of the module
 * (one commit at the same commit time, tagged v0.65.2, so names carry 0.65.2 as slipway's do; an origin
 * remote as in a clone, which GoReleaser reads but never contacts here), with
 * {@link peerConfig} of the project's own config, an empty GOCACHE and the warm module cache, offline.
 */
export async function measureFzfGoreleaser(moduleCache: string): Promise<FzfRun> {
  const home = mkdtempSync(join(tmpdir(), "slipway-bench-fzf-goreleaser-"));
  const repo = join(home, "fzf");
  try {
    cpSync(fzfSource(), repo, { recursive: true });
    spawnSync("chmod", ["-R", "u+w", repo]);
    const configFile = join(repo, ".goreleaser.yml");
    writeFileSync(configFile, peerConfig(readFileSync(configFile, "utf8"), FZF_PLATFORMS));
    const base = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      GOCACHE: join(home, "go-build"),
      GOMODCACHE: moduleCache,
      GOPATH: join(home, "gopath"),
    };
    const git = {
      ...base,
      GIT_AUTHOR_NAME: "user",
      GIT_AUTHOR_EMAIL: "user@localhost",
      GIT_COMMITTER_NAME: "user",
      GIT_COMMITTER_EMAIL: "user@localhost",
      GIT_AUTHOR_DATE: COMMIT_DATE,
      GIT_COMMITTER_DATE: COMMIT_DATE,
    };
    for (const args of [
      ["init", "-q"],
      ["add", "-A"],
      ["commit", "-q", "-m", "the project as published"],
      ["tag", FZF.version],
      ["remote", "add", "origin", `https://${FZF.path}.git`],
    ]) {
      const result = spawnSync("git", args, { cwd: repo, env: git, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`git ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
    const env = { ...base, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly", GOPROXY: "off", GOTOOLCHAIN: "local", GOAMD64: "v1" };
    const goreleaser = join(TOOLCHAIN_DIR, "bin", "goreleaser");
    if (!existsSync(goreleaser)) throw new Error("goreleaser is not installed: run scripts/toolchain.sh bench");
    const seconds = await timed(goreleaser, ["release", "--clean", "--skip=publish,announce,validate"], { cwd: repo, env });
    return { seconds, files: readdirSync(join(repo, "dist")) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
