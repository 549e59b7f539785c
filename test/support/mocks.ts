// Pulumi mocks for component tests. What mocks cannot prove: that a cloud provider accepts the inputs,
// provider defaults (mocks apply none), parent/alias behaviour in the real engine.
import * as pulumi from "@pulumi/pulumi";

/** The resource options a registration carried, as the engine would receive them. */
export interface RecordedOptions {
  /** URN of the parent (the stack's for a top-level resource). */
  readonly parent: string;
  /** URNs of every resource the engine waits for: `dependsOn` (a component standing for its children) and the sources of input values. */
  readonly dependencies: readonly string[];
  /** As the SDK sends them: `undefined` or `false` when not set. */
  readonly protect: boolean | undefined;
  readonly retainOnDelete: boolean | undefined;
  /** Provider reference `urn::id` of an explicit `provider`, or "". */
  readonly provider: string;
  /** Package → provider reference, from `providers`. */
  readonly providers: Readonly<Record<string, string>>;
  readonly aliases: readonly unknown[];
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly additionalSecretOutputs: readonly string[];
}

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
  readonly options: RecordedOptions;
}

/** The parts of the SDK's RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getProvider(): string;
  getProvidersMap(): { toObject(): [string, string][] };
  getAliasesList(): { toObject(): unknown }[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getAdditionalsecretoutputsList(): string[];
}

/** A read (`get`, StackReference) has no lifecycle options. */
type ReadRequest = Pick<
  RegisterRequest,
  "getType" | "getName" | "getParent" | "getDependenciesList" | "getProvider" | "getAdditionalsecretoutputsList"
>;

interface MonitorInternals {
  registerResource(request: RegisterRequest, callback: unknown): Promise<void>;
  readResource(request: ReadRequest, callback: unknown): Promise<void>;
}

function asRegisterRequest(read: ReadRequest): RegisterRequest {
  return {
    getType: () => read.getType(),
    getName: () => read.getName(),
    getParent: () => read.getParent(),
    getDependenciesList: () => read.getDependenciesList(),
    getProvider: () => read.getProvider(),
    getAdditionalsecretoutputsList: () => read.getAdditionalsecretoutputsList(),
    getProtect: () => undefined,
    getRetainondelete: () => undefined,
    getProvidersMap: () => ({ toObject: () => [] }),
    getAliasesList: () => [],
    getIgnorechangesList: () => [],
    getDeletebeforereplace: () => false,
  };
}

function optionsOf(request: RegisterRequest): RecordedOptions {
  return {
    parent: request.getParent(),
    dependencies: [...request.getDependenciesList()].sort(),
    protect: request.getProtect(),
    retainOnDelete: request.getRetainondelete(),
    provider: request.getProvider(),
    providers: Object.fromEntries(request.getProvidersMap().toObject()),
    aliases: request.getAliasesList().map((alias) => alias.toObject()),
    ignoreChanges: [...request.getIgnorechangesList()],
    deleteBeforeReplace: request.getDeletebeforereplace(),
    additionalSecretOutputs: [...request.getAdditionalsecretoutputsList()],
  };
}

/** The URN the mock monitor gives a resource (`…::<parent type>$<type>::<name>`). */
function urnOf(stack: string, project: string, request: RegisterRequest): string {
  const parentType = request.getParent() === "" ? undefined : request.getParent().split("::")[2]?.split("$").pop();
  const type = parentType === undefined ? request.getType() : `${parentType}$${request.getType()}`;
  return `urn:pulumi:${stack}::${project}::${type}::${request.getName()}`;
}

export interface MockOptions {
  /** Answers for invokes, by token; an invoke with no answer fails the test. */
  readonly invokes?: ReadonlyMap<string, Record<string, unknown>>;
  /** Extra output state per resource type, merged over the inputs (e.g. `repositoryUrl` for ECR). */
  readonly outputs?: (registration: Registration) => Record<string, unknown>;
  readonly project?: string;
  readonly stack?: string;
  /** Run as `pulumi preview` would. */
  readonly preview?: boolean;
  /** Receives, in the order the monitor got them, `register <type> <name>` and `invoke <token>` lines. */
  readonly sequence?: string[];
}

/** Installs mocks that record every resource registration; call before importing modules that declare resources. */
export async function recordRegistrations(options: MockOptions = {}): Promise<Registration[]> {
  const registrations: Registration[] = [];
  const project = options.project ?? "slipway";
  const stack = options.stack ?? "test";
  // The mock monitor hands newResource the type, name and inputs only; the request it got, read just
  // before it calls newResource (synchronously), carries the options.
  let request: RegisterRequest | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        if (request === undefined || request.getName() !== args.name || request.getType() !== args.type) {
          throw new Error(`no registration request recorded for ${args.type} ${args.name}`);
        }
        const registration: Registration = {
          type: args.type,
          name: args.name,
          urn: urnOf(stack, project, request),
          inputs: args.inputs as Record<string, unknown>,
          custom: args.custom ?? true,
          options: optionsOf(request),
        };
        request = undefined;
        registrations.push(registration);
        options.sequence?.push(`register ${args.type} ${args.name}`);
        if (args.custom === false) return { id: undefined, state: {} };
        return { id: `${args.name}-id`, state: { ...registration.inputs, ...(options.outputs?.(registration) ?? {}) } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        options.sequence?.push(`invoke ${args.token}`);
        const answer = options.invokes?.get(args.token);
        if (answer === undefined) throw new Error(`Mock call not implemented: ${args.token}`);
        return answer;
      },
    },
    project,
    stack,
    options.preview ?? false,
    "organization",
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorInternals;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (next, callback) => {
    request = next;
    return registerResource(next, callback);
  };
  const readResource = monitor.readResource.bind(monitor);
  monitor.readResource = (next, callback) => {
    request = asRegisterRequest(next);
    return readResource(next, callback);
  };
  return registrations;
}

/** The value of an output, once known. Never await an output that stays unknown in preview. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise<T>((resolve) => output.apply(resolve));
}

/** Lets every pending registration reach the mock. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

export function ofType(registrations: readonly Registration[], type: string): Registration[] {
  return registrations.filter((r) => r.type === type);
}

export function named(registrations: readonly Registration[], name: string): Registration {
  const found = registrations.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource named ${name}; have ${registrations.map((r) => r.name).join(", ")}`);
  return found;
}

/** The names of the resources a registration waits for, sorted. */
export function dependencyNames(registration: Registration): string[] {
  return registration.options.dependencies.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
}

/** The name of the registration's parent, from its URN. */
export function parentName(registration: Registration): string {
  const urn = registration.options.parent;
  return urn.slice(urn.lastIndexOf("::") + 2);
}
