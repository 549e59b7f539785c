import { describe } from "node:test";
import { DEFAULT_ARCHIVE_FILES } from "../../plan/archiveFiles";
import { parseArchiveSettings } from "../../plan/archiveSettings";
import { DEFAULT_ARCHIVE_NAME, DEFAULT_BINARY_NAME } from "../../plan/assets";
import { itRefusesEach, itReturnsEach } from "../support/inputTables";

const DEFAULTS = {
  format: "tar.gz",
  formatOverrides: { windows: "zip" },
  nameTemplate: DEFAULT_ARCHIVE_NAME,
  binaryNameTemplate: DEFAULT_BINARY_NAME,
  replacements: { os: {}, arch: {} },
  files: DEFAULT_ARCHIVE_FILES,
  defaultFiles: true,
  wrapInDirectory: null,
  binaries: true,
};
const FORMATS = "fix: use one of tar.gz, tar.xz, zip, none";
const FIELDS = "format, formatOverrides, nameTemplate, binaryNameTemplate, replacements, files, wrapInDirectory, binaries";
const SHAPE = "fix: e.g. archives: tar.gz or archives: {format: tar.xz}";
const FILE_FIX = "fix: e.g. LICENSE or {src: docs/*.1, dst: man}";
const DST = "must be a relative directory inside the archive; fix: e.g. man";

describe("parseArchiveSettings", () => {
  itReturnsEach([
    ["unset: tar.gz, zip on windows, the default names and files", () => parseArchiveSettings(undefined), DEFAULTS],
    ["a bare format", () => parseArchiveSettings("tar.xz"), { ...DEFAULTS, format: "tar.xz" }],
    ["none: no archive on any os", () => parseArchiveSettings("none"), { ...DEFAULTS, format: "none", formatOverrides: {} }],
    [
      "none with overrides of its own",
      () => parseArchiveSettings({ format: "none", formatOverrides: { windows: "zip" } }),
      { ...DEFAULTS, format: "none", formatOverrides: { windows: "zip" } },
    ],
    ["no overrides", () => parseArchiveSettings({ formatOverrides: {} }), { ...DEFAULTS, formatOverrides: {} }],
    [
      "every field",
      () =>
        parseArchiveSettings({
          format: "zip",
          formatOverrides: { linux: "tar.gz" },
          nameTemplate: "{{name}}-{{os}}",
          binaryNameTemplate: "{{binary}}-{{os}}",
          replacements: { os: { darwin: "Darwin" }, arch: { amd64: "x86_64" } },
          files: ["LICENSE", { src: "docs/*.1", dst: "man" }, { src: "NOTICE" }],
          wrapInDirectory: "{{name}}",
          binaries: false,
        }),
      {
        format: "zip",
        formatOverrides: { linux: "tar.gz" },
        nameTemplate: "{{name}}-{{os}}",
        binaryNameTemplate: "{{binary}}-{{os}}",
        replacements: { os: { darwin: "Darwin" }, arch: { amd64: "x86_64" } },
        files: ["LICENSE", { src: "docs/*.1", dst: "man" }, { src: "NOTICE" }],
        defaultFiles: false,
        wrapInDirectory: "{{name}}",
        binaries: false,
      },
    ],
    ["wrapInDirectory true: the default directory", () => parseArchiveSettings({ wrapInDirectory: true }).wrapInDirectory, ""],
    ["wrapInDirectory false: none", () => parseArchiveSettings({ wrapInDirectory: false }).wrapInDirectory, null],
    ["an empty file list", () => parseArchiveSettings({ files: [] }), { ...DEFAULTS, files: [], defaultFiles: false }],
    [
      "only os replacements",
      () => parseArchiveSettings({ replacements: { os: { linux: "Linux" } } }).replacements,
      { os: { linux: "Linux" }, arch: {} },
    ],
  ]);

  itRefusesEach([
    {
      title: "an unknown format",
      run: () => parseArchiveSettings("rar"),
      message: `slipway:archives = "rar": unknown archive format; ${FORMATS}`,
    },
    {
      title: "a format that is not a string",
      run: () => parseArchiveSettings({ format: 5 }),
      message: `slipway:archives.format = 5: unknown archive format; ${FORMATS}`,
    },
    { title: "a list", run: () => parseArchiveSettings([]), message: `slipway:archives = []: must be a format or an object; ${SHAPE}` },
    { title: "null", run: () => parseArchiveSettings(null), message: `slipway:archives = null: must be a format or an object; ${SHAPE}` },
    { title: "a number", run: () => parseArchiveSettings(42), message: `slipway:archives = 42: must be a format or an object; ${SHAPE}` },
    {
      title: "an unknown field",
      run: () => parseArchiveSettings({ level: 9 }),
      message: `slipway:archives.level = 9: unknown field; fix: use only ${FIELDS}`,
    },
    {
      title: "overrides as a list",
      run: () => parseArchiveSettings({ formatOverrides: [] }),
      message: "slipway:archives.formatOverrides = []: must be a map; fix: e.g. archives.formatOverrides: {windows: zip}",
    },
    {
      title: "overrides as null",
      run: () => parseArchiveSettings({ formatOverrides: null }),
      message: "slipway:archives.formatOverrides = null: must be a map; fix: e.g. archives.formatOverrides: {windows: zip}",
    },
    {
      title: "an override that is not a string",
      run: () => parseArchiveSettings({ formatOverrides: { windows: 1 } }),
      message: "slipway:archives.formatOverrides.windows = 1: must be a string; fix: quote the value",
    },
    {
      title: "an unknown override format",
      run: () => parseArchiveSettings({ formatOverrides: { linux: "rar" } }),
      message: `slipway:archives.formatOverrides.linux = "rar": unknown archive format; ${FORMATS}`,
    },
    {
      title: "replacements as a list",
      run: () => parseArchiveSettings({ replacements: [] }),
      message: "slipway:archives.replacements = []: must be {os: {...}, arch: {...}}; fix: e.g. replacements: {arch: {amd64: x86_64}}",
    },
    {
      title: "replacements as null",
      run: () => parseArchiveSettings({ replacements: null }),
      message: "slipway:archives.replacements = null: must be {os: {...}, arch: {...}}; fix: e.g. replacements: {arch: {amd64: x86_64}}",
    },
    {
      title: "replacements as text",
      run: () => parseArchiveSettings({ replacements: "x" }),
      message: 'slipway:archives.replacements = "x": must be {os: {...}, arch: {...}}; fix: e.g. replacements: {arch: {amd64: x86_64}}',
    },
    {
      title: "an unknown replacement field",
      run: () => parseArchiveSettings({ replacements: { cpu: {} } }),
      message: "slipway:archives.replacements.cpu = {}: unknown field; fix: use only os and arch",
    },
    {
      title: "arch replacements that are not a map",
      run: () => parseArchiveSettings({ replacements: { arch: "x86_64" } }),
      message: 'slipway:archives.replacements.arch = "x86_64": must be a map; fix: e.g. archives.replacements.arch: {amd64: x86_64}',
    },
    {
      title: "os replacements that are not a map",
      run: () => parseArchiveSettings({ replacements: { os: [] } }),
      message: "slipway:archives.replacements.os = []: must be a map; fix: e.g. archives.replacements.os: {darwin: Darwin}",
    },
    {
      title: "binaries as text",
      run: () => parseArchiveSettings({ binaries: "no" }),
      message: 'slipway:archives.binaries = "no": must be true or false; fix: binaries: false publishes archives only',
    },
    {
      title: "files as text",
      run: () => parseArchiveSettings({ files: "LICENSE" }),
      message: `slipway:archives.files = "LICENSE": must be a list; fix: e.g. files: [LICENSE, "docs/*.1"]`,
    },
    {
      title: "an empty file glob",
      run: () => parseArchiveSettings({ files: [""] }),
      message: `slipway:archives.files[0] = "": must be a glob or {src, dst}; ${FILE_FIX}`,
    },
    {
      title: "a number as a file",
      run: () => parseArchiveSettings({ files: ["LICENSE", 5] }),
      message: `slipway:archives.files[1] = 5: must be a glob or {src, dst}; ${FILE_FIX}`,
    },
    {
      title: "a list as a file",
      run: () => parseArchiveSettings({ files: [[]] }),
      message: `slipway:archives.files[0] = []: must be a glob or {src, dst}; ${FILE_FIX}`,
    },
    {
      title: "null as a file",
      run: () => parseArchiveSettings({ files: [null] }),
      message: `slipway:archives.files[0] = null: must be a glob or {src, dst}; ${FILE_FIX}`,
    },
    {
      title: "an unknown file field",
      run: () => parseArchiveSettings({ files: [{ src: "a", mode: 1 }] }),
      message: "slipway:archives.files[0].mode = 1: unknown field; fix: use only src and dst",
    },
    {
      title: "a file without src",
      run: () => parseArchiveSettings({ files: [{ dst: "man" }] }),
      message: "slipway:archives.files[0].src = (unset): must be a glob; fix: e.g. {src: docs/*.1, dst: man}",
    },
    {
      title: "an empty src",
      run: () => parseArchiveSettings({ files: [{ src: "" }] }),
      message: 'slipway:archives.files[0].src = "": must be a glob; fix: e.g. {src: docs/*.1, dst: man}',
    },
    {
      title: "a dst outside the archive",
      run: () => parseArchiveSettings({ files: [{ src: "a", dst: "man/../.." }] }),
      message: `slipway:archives.files[0].dst = "man/../..": ${DST}`,
    },
    {
      title: "an empty dst",
      run: () => parseArchiveSettings({ files: [{ src: "a", dst: "" }] }),
      message: `slipway:archives.files[0].dst = "": ${DST}`,
    },
    {
      title: "a dst that is not a string",
      run: () => parseArchiveSettings({ files: [{ src: "a", dst: 1 }] }),
      message: `slipway:archives.files[0].dst = 1: ${DST}`,
    },
    {
      title: "a blank name template",
      run: () => parseArchiveSettings({ nameTemplate: " " }),
      message: `slipway:archives.nameTemplate = " ": must be a non-empty template; fix: e.g. ${DEFAULT_ARCHIVE_NAME}`,
    },
    {
      title: "a binary name template that is not a string",
      run: () => parseArchiveSettings({ binaryNameTemplate: 1 }),
      message: `slipway:archives.binaryNameTemplate = 1: must be a non-empty template; fix: e.g. ${DEFAULT_BINARY_NAME}`,
    },
    ...[1, " ", null].map((value) => ({
      title: `wrapInDirectory ${JSON.stringify(value)}`,
      run: () => parseArchiveSettings({ wrapInDirectory: value }),
      message: `slipway:archives.wrapInDirectory = ${JSON.stringify(value)}: must be true, false or a directory template; fix: e.g. wrapInDirectory: true`,
    })),
  ]);
});
