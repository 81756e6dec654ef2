/**
 * How long a wait for another stack's workload tries before it fails, in seconds: long enough
 * for a database's first start, short enough that `docker compose up` ends with an error that
 * names the stack to deploy first instead of waiting forever.
 */
export const CROSS_STACK_WAIT_SECONDS = 300;

/** Seconds between two tries of a port wait. */
const INTERVAL_SECONDS = 2;

/**
 * The shell command of a container that waits until `host` answers on `port`, as both targets
 * run it: `nc -z` every two seconds. Without `stack` it waits for as long as it takes (a
 * dependency in the same stack, which the same deployment starts).
 */
export function portWaitCommand(host: string, port: number, stack?: string): string[] {
  const probe = `nc -z -w ${INTERVAL_SECONDS} ${host} ${port}`;
  if (stack === undefined) {
    return ['sh', '-c', `until ${probe}; do echo "waiting for ${host}:${port}"; sleep ${INTERVAL_SECONDS}; done`];
  }
  // No `$` in the script: Compose would interpolate it and Kubernetes expand it, and under Helm
  // the host itself is a template action that escaping would break.
  const loop = `until ${probe}; do echo "waiting for ${host}:${port} of stack ${stack}"; sleep ${INTERVAL_SECONDS}; done`;
  return [
    'sh',
    '-c',
    `timeout ${CROSS_STACK_WAIT_SECONDS} sh -c '${loop}' || { echo "${host}:${port} did not answer in ${CROSS_STACK_WAIT_SECONDS} s: deploy stack ${stack} first"; exit 1; }`,
  ];
}
