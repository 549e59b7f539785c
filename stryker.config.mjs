// @ts-check
/**
 * Test files to run: all three mirrored folders, or the globs in MUTATION_TESTS (comma-separated), e.g.
 * `MUTATION_TESTS="test/plan/tags.test.ts" npm run test:mutation -- --mutate plan/tags.ts`: on a loaded
 * machine every test file costs seconds per mutant, so a per-file run names its mirrored tests.
 */
const testFiles = process.env.MUTATION_TESTS?.split(",") ?? ["test/plan/*.test.ts", "test/providers/*.test.ts", "test/stacks/*.test.ts"];

/**
 * Mutation testing of the planning code and the providers (`npm run test:mutation`; not part of `npm test`).
 * One folder: `npm run test:mutation -- --mutate "plan/**\/*.ts"`. Reports go to reports/mutation/ (gitignored).
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
  mutate: ["plan/**/*.ts", "providers/**/*.ts", "stacks/**/*.ts"],
  testRunner: "tap",
  tap: {
    // Each test file runs in its own node process (as node --test does), with TypeScript through tsx.
    testFiles,
    nodeArgs: ["--import", "tsx"],
    forceBail: true,
  },
  // MUTATION_TYPECHECK=off skips the type checker: faster on a loaded machine, but mutants that do not
  // type-check then run (tsx strips types) and the few that survive must be read by hand.
  checkers: process.env.MUTATION_TYPECHECK === "off" ? [] : ["typescript"],
  // The checker compiles only the mutated folders: a mutant that breaks their types never runs.
  tsconfigFile: "tsconfig.mutation.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Only the test files that executed a mutant run against it.
  coverageAnalysis: "perTest",
  // Two cores shared with other work.
  concurrency: 2,
  checkerNodeArgs: [],
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: ".stryker-tmp",
  // Another run's sandbox (--tempDirName .stryker-tmp-x) is not part of the project.
  ignorePatterns: [".stryker-tmp*", "reports"],
  cleanTempDir: "always",
};
