import { HealthCheckModel } from '../../model';

/**
 * Readiness and liveness probes from one health check, plus a startup probe that gives the
 * container its start period before liveness counts (Compose's `start_period`).
 */
export function renderProbes(check: HealthCheckModel): Record<string, unknown> {
  const handler = probeHandler(check);
  const timings = {
    periodSeconds: check.intervalSeconds,
    timeoutSeconds: check.timeoutSeconds,
    failureThreshold: check.retries,
  };
  const probes: Record<string, unknown> = {
    readinessProbe: { ...handler, ...timings },
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
