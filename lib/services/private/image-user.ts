import { SecurityOptions } from '../options';

/** The non-root user (and group) an official image's server runs as. */
export interface ImageUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * How a server from an official image runs: as its own non-root user from the start, owning
 * its data volume through the group (`fsGroup` on Kubernetes; a Compose volume takes the
 * image's ownership), with every capability dropped, which the restricted Pod Security Standard
 * admits. The official entrypoints only need root to take ownership of a data directory and
 * step down to that user: with `startAsRoot` they keep doing so (and need their capabilities),
 * for a data directory the user cannot write, such as a host folder owned by root. The user's
 * own `security` settings win over these.
 */
export function imageUserSecurity(given: SecurityOptions | undefined, user: ImageUser, startAsRoot: boolean | undefined): SecurityOptions | undefined {
  if (startAsRoot === true) return given;
  return { user: user.uid, group: user.gid, fsGroup: user.gid, dropCapabilities: ['ALL'], ...given };
}
