import { HealthCheckModel } from '../../model';
import { composeDuration } from './format';

/**
 * Compose `healthcheck` for a health check. Compose runs every check inside the container,
 * so HTTP and TCP checks use the probe command the image has.
 */
export function renderHealthcheck(check: HealthCheckModel): Record<string, unknown> {
  const probe = check.probe;
  const test =
    probe.kind === 'shell'
      ? ['CMD-SHELL', probe.script]
      : ['CMD', ...(probe.kind === 'exec' ? probe.command : probe.composeCommand)];
  return {
    test,
    interval: composeDuration(check.intervalSeconds),
    timeout: composeDuration(check.timeoutSeconds),
    retries: check.retries,
    ...(check.startPeriodSeconds > 0 ? { start_period: composeDuration(check.startPeriodSeconds) } : {}),
  };
}
