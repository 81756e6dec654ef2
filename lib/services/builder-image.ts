import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { checkProps, knownProps } from '../core/known-props';
import { Hardening } from '../hardening/hardening';
import { BuildOptions } from './options';
import { BUILD_OPTIONS } from './private/known-options';
import { Workload } from './workload';

/**
 * Properties for a `BuilderImage`.
 */
export interface BuilderImageProps {
  /** How to build the image from source. */
  readonly build: BuildOptions;

  /**
   * The tag the build produces, which the Dockerfiles of the images built on it name in
   * `FROM` (pass it with `builder.image`, e.g. as a build argument).
   *
   * @default '<name>:latest'
   */
  readonly image?: string;

  /**
   * The Compose profile that holds the build-only service, so that `up` never starts it.
   *
   * @default 'build'
   */
  readonly profile?: string;
}

const NEVER_RUNS = 'a BuilderImage is only built, never run: it takes build, image and profile (pass build-time values as build.args)';
const PROPS = knownProps<BuilderImageProps>('BuilderImageProps', ['build', 'image', 'profile'], {
  omitted: Object.fromEntries(
    [
      ...['entrypoint', 'command', 'workingDir', 'env', 'envFiles', 'healthCheck', 'readinessCheck', 'restartWhenUnhealthy', 'resources', 'mounts'],
      ...['security', 'after', 'labels', 'profiles', 'containerName', 'networks', 'logging', 'replicas', 'restart'],
    ].map((name) => [name, NEVER_RUNS]),
  ),
  nested: { build: BUILD_OPTIONS },
});

/**
 * An image built from source that is never deployed but that other images are built on: a
 * builder stage with the compiled code and the full toolchain, shared by several images.
 *
 * Compose: a service with `build` and `image` in its own profile, so that
 * `docker compose --profile <profile> build <name>` builds (and tags) it and `up` never starts
 * it; `restart: "no"` in case it is started by hand. Kubernetes can only pull images: left out,
 * with a note; a CI pipeline builds and pushes it before the images that use it.
 */
export class BuilderImage extends Workload {
  /** The tag of the built image. */
  declare public readonly image: string;

  constructor(scope: Construct, id: string, props: BuilderImageProps) {
    super(
      scope,
      id,
      { image: props?.image ?? `${id}:latest`, build: props?.build, profiles: [props?.profile ?? 'build'] },
      {
        kind: 'job',
        composeOnly:
          'it is an image other images are built on and is never deployed; Kubernetes pulls images, so build and push it ' +
          '(and the images built on it) in CI',
      },
    );
    checkProps(this, BuilderImage, props, PROPS);
    // It never runs: the rules about a running container do not apply, and its tag is the one
    // the local build produces, never pulled from a registry.
    const neverRuns = 'a builder image is only built, never run or deployed';
    Hardening.of(this)
      .acknowledge('CKC-USER', neverRuns)
      .acknowledge('CKC-READ-ONLY', neverRuns)
      .acknowledge('CKC-CAPABILITIES', neverRuns)
      .acknowledge('CKC-LIMITS', neverRuns)
      .acknowledge('CKC-PINNED', 'the tag is the one the local build produces for the images built on it; it is never pulled');
    if (props?.build === undefined) {
      Annotations.of(this).addError("has no build; a BuilderImage is built from source: add build: { context: '.', dockerfile: 'Dockerfile.builder' }");
    }
  }

  /** An image has nothing to connect to. */
  public connectionEnv(): string {
    return `${this.workloadName} is a builder image that never runs; use its \`image\` as the base of another image instead`;
  }
}
