// What a sealed Athens (which never downloads) would miss in its disk storage.
/**
 * What a build of the module would ask a sealed Athens for and its disk storage lacks, as
 * `module@version` (sorted, once each). Every go.sum line names a file the build downloads: `/go.mod`
 * lines the module's go.mod, the others its zip. Athens's disk layout is `<root>/<module>/<version>/`
 * with `go.mod`, `source.zip` and `<version>.info` (pkg/storage/fs), module paths as written.
 */
export function missingFromDiskStorage(goSum: string, storageRoot: string, exists: (path: string) => boolean): string[] {
  const missing = new Set<string>();
  for (const line of goSum.split("\n")) {
    const [module, versionField] = line.trim().split(/\s+/);
    // A blank line splits into [""]: no version field either.
    if (module === undefined || versionField === undefined) continue;
    const goModOnly = versionField.endsWith("/go.mod");
    const version = goModOnly ? versionField.slice(0, -"/go.mod".length) : versionField;
    const file = goModOnly ? "go.mod" : "source.zip";
    if (!exists(`${storageRoot}/${module}/${version}/${file}`)) missing.add(`${module}@${version}`);
  }
  return [...missing].sort();
}
