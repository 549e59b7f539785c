// Pulumi mocks for component tests. What mocks cannot prove: that a cloud provider accepts the inputs,
// provider defaults (mocks apply none), parent/alias behaviour in the real engine.
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
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
}

/** Installs mocks that record every resource registration; call before importing modules that declare resources. */
export async function recordRegistrations(options: MockOptions = {}): Promise<Registration[]> {
  const registrations: Registration[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const registration: Registration = {
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          custom: args.custom ?? true,
        };
        registrations.push(registration);
        if (args.custom === false) return { id: undefined, state: {} };
        return { id: `${args.name}-id`, state: { ...registration.inputs, ...(options.outputs?.(registration) ?? {}) } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const answer = options.invokes?.get(args.token);
        if (answer === undefined) throw new Error(`Mock call not implemented: ${args.token}`);
        return answer;
      },
    },
    options.project ?? "slipway",
    options.stack ?? "test",
    options.preview ?? false,
    "organization",
  );
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
