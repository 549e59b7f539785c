// Publishes release files to a local release directory with the same contract as a GitHub release:
// a draft (a staging directory) is filled and checked first, then published at once (a rename), and a
// published version is never modified.
import * as pulumi from "@pulumi/pulumi";
import { DynamicResource } from "./dynamicResource";
import { InputsOf } from "./inputs";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface LocalReleaseFile {
  readonly name: string;
  readonly source: string;
  readonly sha256: string;
}

export interface LocalReleaseInputs {
  /** Root of all local releases; each version is published as `<root>/<version>/`. */
  readonly root: string;
  readonly version: string;
  readonly files: readonly LocalReleaseFile[];
  /** Marks a published artifact, for the policy pack. */
  readonly slipwayPublished: true;
}

export interface LocalReleaseOutputs extends LocalReleaseInputs {
  readonly directory: string;
  /** Asset name → sha256 of what is published. */
  readonly published: Record<string, string>;
  /** True when an identical, already published directory was found and adopted. */
  readonly adopted: boolean;
}

function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Asset name → sha256 of a published directory, or undefined when it does not exist. */
export function readPublished(directory: string): Record<string, string> | undefined {
  if (!existsSync(directory)) return undefined;
  const result: Record<string, string> = {};
  for (const name of readdirSync(directory).sort()) result[name] = sha256Of(join(directory, name));
  return result;
}

function expected(files: readonly LocalReleaseFile[]): Record<string, string> {
  return Object.fromEntries([...files].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => [f.name, f.sha256]));
}

function sameContent(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function copyChecked(file: LocalReleaseFile, target: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(file.name)) throw new Error(`refusing asset name ${JSON.stringify(file.name)}`);
  copyFileSync(file.source, target);
  const actual = sha256Of(target);
  if (actual !== file.sha256) throw new Error(`${file.name}: copied sha256 ${actual} differs from the built ${file.sha256}`);
}

export function publishLocalRelease(inputs: LocalReleaseInputs): LocalReleaseOutputs {
  const directory = join(inputs.root, inputs.version);
  const want = expected(inputs.files);
  const existing = readPublished(directory);
  if (existing !== undefined) {
    const missing = inputs.files.filter((f) => existing[f.name] === undefined);
    if (missing.length > 0 && Object.entries(existing).every(([name, sha256]) => want[name] === sha256)) {
      // Files deleted from a published directory come back as they were; nothing else is touched.
      for (const file of missing) copyChecked(file, join(directory, file.name));
      return { ...inputs, directory, published: want, adopted: true };
    }
    if (!sameContent(existing, want)) {
      throw new Error(
        `${directory} is already published with other content; published releases are never modified (release a new version)`,
      );
    }
    return { ...inputs, directory, published: existing, adopted: true };
  }
  const draft = join(inputs.root, `.draft-${inputs.version}`);
  rmSync(draft, { recursive: true, force: true });
  mkdirSync(draft, { recursive: true });
  for (const file of inputs.files) copyChecked(file, join(draft, file.name));
  renameSync(draft, directory);
  return { ...inputs, directory, published: want, adopted: false };
}

export const localReleaseProvider: pulumi.dynamic.ResourceProvider = {
  // eslint-disable-next-line @typescript-eslint/require-await
  async create(inputs: LocalReleaseInputs) {
    const outs = publishLocalRelease(inputs);
    return { id: outs.directory, outs };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async diff(_id: string, olds: LocalReleaseOutputs, news: LocalReleaseInputs) {
    const replaces = olds.root !== news.root || olds.version !== news.version ? ["version"] : [];
    const onDisk = existsSync(olds.directory) && Object.keys(olds.published).every((name) => existsSync(join(olds.directory, name)));
    const contentChanged = !sameContent(olds.published, expected(news.files));
    if (replaces.length === 0 && contentChanged && onDisk) {
      throw new Error(`${olds.directory} is published; its files cannot change (release a new version)`);
    }
    const moved = olds.files.some((f, i) => f.source !== news.files[i]?.source);
    // A new version's directory is published beside the old one, which is never deleted (delete does nothing):
    // the old resource is let go at once rather than in a step of its own at the end of the update.
    return { changes: replaces.length > 0 || !onDisk || contentChanged || moved, replaces, deleteBeforeReplace: replaces.length > 0 };
  },
  // Publishes again only what is missing; identical published content is adopted, other content refused.
  // eslint-disable-next-line @typescript-eslint/require-await
  async update(_id: string, _olds: LocalReleaseOutputs, news: LocalReleaseInputs) {
    return { outs: publishLocalRelease(news) };
  },
  // eslint-disable-next-line @typescript-eslint/require-await
  async read(id: string, props: LocalReleaseOutputs) {
    return { id, props: { ...props, published: readPublished(props.directory) ?? {} } };
  },
  // A published release outlives the stack's memory of it.
  async delete() {},
};

export class LocalReleaseDirectory extends DynamicResource {
  declare public readonly directory: pulumi.Output<string>;
  declare public readonly published: pulumi.Output<Record<string, string>>;
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: InputsOf<LocalReleaseInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      localReleaseProvider,
      name,
      { ...args, directory: undefined, published: undefined, adopted: undefined },
      pulumi.mergeOptions(opts, { retainOnDelete: true }),
      "slipway",
      "LocalRelease",
    );
  }
}
