import { byteOrder } from "./assets";
import { ReleasePlan } from "./releasePlan";

/** A fixed-width table: columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function tagRows(plan: ReleasePlan): string[][] {
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const tag of plan.immutableTags) {
    seen.add(tag);
    rows.push([tag, "immutable", plan.status === "published" ? "exists" : "publish", "never moves once published"]);
  }
  for (const [tag, decision] of Object.entries(plan.floating)) {
    if (seen.has(tag)) continue;
    const action = decision.moves ? (plan.status === "published" ? "holds" : "move") : "keep";
    rows.push([tag, `floating ${decision.line}`, action, decision.reason]);
  }
  return rows;
}

/** The human-readable form of a plan, as `slipway plan` prints it. */
export function renderPlanText(plan: ReleasePlan): string {
  const kind = plan.prerelease ? "prerelease" : "stable";
  const status = plan.status === "published" ? "already published from this commit: nothing to do" : "new release";
  const buildNote = plan.build.length > 0 ? ` (build metadata +${plan.build.join(".")} is not part of tags)` : "";
  const platforms = [...new Set(plan.assets.binaries.map((b) => b.platform))];
  const assetRows = platforms.flatMap((platform) => [
    ...plan.assets.binaries
      .filter((b) => b.platform === platform && b.published)
      .map((b) => [b.file, platform, plan.builds.length > 1 ? `binary (${b.build})` : "binary"]),
    ...plan.assets.archives.filter((a) => a.platform === platform).map((a) => [a.name, platform, "archive"]),
  ]);
  const count = plan.assets.checksums.order.length;
  assetRows.push([plan.assets.checksums.file, "", `sha256 of the ${count} file${count === 1 ? "" : "s"} above`]);
  const sections = [
    `${plan.name} ${plan.version}: ${kind}, ${status}${buildNote}`,
    `commit ${plan.commit.sha} at ${plan.commit.time} (SOURCE_DATE_EPOCH=${plan.commit.sourceDateEpoch})`,
    `published before: ${plan.published.length === 0 ? "none" : plan.published.join(", ")}`,
    "",
    table(["TAG", "KIND", "ACTION", "WHY"], tagRows(plan)),
    "",
    table(["ASSET", "PLATFORM", "CONTENT"], assetRows),
    "",
    `image platforms: ${plan.image.platforms.join(", ")}`,
    table(
      ["LABEL", "VALUE"],
      Object.entries(plan.labels)
        .sort(([a], [b]) => byteOrder(a, b))
        .map(([k, v]) => [k, v]),
    ),
  ];
  return sections.join("\n") + "\n";
}
