import type { Migration } from "./goreleaser";

/** The report of a migration: `<file>:<line>: <key>: <note>` per unmapped key (by line), then a summary line. */
export function renderMigrationReport(migration: Pick<Migration, "mapped" | "unmapped">, file: string): string[] {
  const lines = [...migration.unmapped]
    .sort((a, b) => a.line - b.line || a.key.localeCompare(b.key))
    .map((entry) => `${file}:${entry.line}: ${entry.key}: ${entry.note}`);
  const keys = (count: number): string => `${count} key${count === 1 ? "" : "s"}`;
  const summary =
    migration.unmapped.length === 0
      ? `${file}: ${keys(migration.mapped.length)} mapped, nothing left unmapped`
      : `${file}: ${keys(migration.mapped.length)} mapped, ${keys(migration.unmapped.length)} not mapped (review the lines above)`;
  return [...lines, summary];
}

/** The exit code of `slipway init --from-goreleaser`: 0 when every key was mapped, 3 when some were not. */
export function migrationExitCode(migration: Pick<Migration, "unmapped">): 0 | 3 {
  return migration.unmapped.length === 0 ? 0 : 3;
}
