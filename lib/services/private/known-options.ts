import { KnownProps, knownProps } from '../../core/known-props';
import {
  BuildOptions,
  PortOptions,
  PublicEndpointOptions,
  ResourceAmounts,
  ResourceOptions,
  SecurityOptions,
  WorkloadOptions,
} from '../options';

// The known props of the interfaces of options.ts (kept here, since everything options.ts
// exports is public), and how a workload's props are made of them.

export const BUILD_OPTIONS = knownProps<BuildOptions>('BuildOptions', ['context', 'dockerfile', 'target', 'args']);

const RESOURCE_AMOUNTS = knownProps<ResourceAmounts>('ResourceAmounts', ['cpu', 'memory']);

const RESOURCE_OPTIONS = knownProps<ResourceOptions>('ResourceOptions', ['limits', 'requests'], {
  nested: { limits: RESOURCE_AMOUNTS, requests: RESOURCE_AMOUNTS },
});

const SECURITY_OPTIONS = knownProps<SecurityOptions>('SecurityOptions', [
  'user',
  'group',
  'readOnlyRootFilesystem',
  'dropCapabilities',
  'addCapabilities',
  'noNewPrivileges',
  'fsGroup',
]);

export const PORT_OPTIONS = knownProps<PortOptions>('PortOptions', ['port', 'name', 'protocol', 'hostPort', 'hostIp']);

export const PUBLIC_ENDPOINT_OPTIONS = knownProps<PublicEndpointOptions>('PublicEndpointOptions', [
  'host',
  'path',
  'tlsSecretName',
  'ingressClassName',
]);

const WORKLOAD_OPTIONS = knownProps<WorkloadOptions>(
  'WorkloadOptions',
  [
    'image',
    'build',
    'entrypoint',
    'command',
    'workingDir',
    'env',
    'healthCheck',
    'readinessCheck',
    'restartWhenUnhealthy',
    'resources',
    'mounts',
    'security',
    'after',
    'labels',
    'envFiles',
    'profiles',
    'containerName',
    'networks',
    'logging',
    'restart',
    'isolation',
  ],
  { nested: { build: BUILD_OPTIONS, resources: RESOURCE_OPTIONS, security: SECURITY_OPTIONS } },
);

/**
 * The known props of a workload's props interface `P`: those of `WorkloadOptions` but the
 * `without` ones, and its own `more` (which may add a left-out one back with its own docs).
 */
export function workloadProps<P>(
  interfaceName: string,
  spec: {
    readonly without?: readonly (keyof WorkloadOptions)[];
    readonly more: readonly (keyof P & string)[];
    readonly omitted?: Readonly<Record<string, string>>;
    readonly nested?: { readonly [K in keyof P & string]?: KnownProps };
  },
): KnownProps {
  const inherited = WORKLOAD_OPTIONS.names.filter((name) => !(spec.without ?? []).some((w) => w === name));
  const names = [...inherited, ...spec.more.filter((name) => !inherited.includes(name))] as (keyof P & string)[];
  const nested = Object.entries({ ...WORKLOAD_OPTIONS.nested, ...spec.nested }).filter(([name]) => names.some((n) => n === name));
  return knownProps<P>(interfaceName, names, {
    omitted: spec.omitted,
    nested: Object.fromEntries(nested) as { [K in keyof P & string]?: KnownProps },
  });
}

/** Why an official-image construct takes no `image` or `build`, and the fix. */
export function officialImage(image: string): Record<'image' | 'build', string> {
  const reason = `it runs the official ${image} image; choose its tag with version, or use a ContainerService for another image`;
  return { image: reason, build: reason };
}

/** Why a construct takes no `replicas`: it holds data that copies would not share. */
export const SINGLE_INSTANCE = 'it runs as a single instance, since copies would not share its data; remove replicas';
