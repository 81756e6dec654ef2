import { HealthCheckModel } from '../../model';

/**
 * The readiness probe from the health check (what Compose's dependents wait for, and what
 * routes traffic), and a liveness probe only from a check asked to restart the container, with
 * a startup probe that gives it the start period before it counts (Compose's `start_period`).
 * Without a liveness probe nothing restarts an unhealthy container, as on Compose.
 */
export function renderProbes(check: HealthCheckModel | undefined, liveness?: HealthCheckModel): Record<string, unknown> {
  const probes: Record<string, unknown> = {};
  if (check) probes.readinessProbe = { ...probeHandler(check), ...probeTimings(check) };
  if (liveness) {
    probes.livenessProbe = { ...probeHandler(liveness), ...probeTimings(liveness) };
    if (liveness.startPeriodSeconds > 0) {
      probes.startupProbe = {
        ...probeHandler(liveness),
        ...probeTimings(liveness),
        failureThreshold: Math.ceil(liveness.startPeriodSeconds / liveness.intervalSeconds) + liveness.retries,
      };
    }
  }
  return probes;
}

function probeTimings(check: HealthCheckModel): Record<string, number> {
  return { periodSeconds: check.intervalSeconds, timeoutSeconds: check.timeoutSeconds, failureThreshold: check.retries };
}

function probeHandler(check: HealthCheckModel): Record<string, unknown> {
  const probe = check.probe;
  switch (probe.kind) {
    case 'http':
      return { httpGet: { path: probe.path, port: probe.port } };
    case 'tcp':
      return { tcpSocket: { port: probe.port } };
    case 'exec':
      return { exec: { command: [...probe.command] } };
    case 'shell':
      return { exec: { command: ['sh', '-c', probe.script] } };
  }
}
