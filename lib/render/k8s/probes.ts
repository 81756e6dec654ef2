import { HealthCheckModel } from '../../model';

/**
 * Readiness and liveness probes from one health check, plus a startup probe that gives the
 * container its start period before liveness counts (Compose's `start_period`). A separate
 * `readiness` check replaces the readiness probe only.
 */
export function renderProbes(check: HealthCheckModel, readiness?: HealthCheckModel): Record<string, unknown> {
  const handler = probeHandler(check);
  const timings = probeTimings(check);
  const probes: Record<string, unknown> = {
    readinessProbe: readiness ? { ...probeHandler(readiness), ...probeTimings(readiness) } : { ...handler, ...timings },
    livenessProbe: { ...handler, ...timings },
  };
  if (check.startPeriodSeconds > 0) {
    probes.startupProbe = {
      ...handler,
      ...timings,
      failureThreshold: Math.ceil(check.startPeriodSeconds / check.intervalSeconds) + check.retries,
    };
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
