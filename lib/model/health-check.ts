/** How a probe reaches the container. */
export type ProbeModel =
  | {
      readonly kind: 'http';
      readonly path: string;
      readonly port: number;
      /** The command the image has for probing HTTP from inside (Compose has no native HTTP check). */
      readonly composeCommand: readonly string[];
    }
  | {
      readonly kind: 'tcp';
      readonly port: number;
      readonly composeCommand: readonly string[];
    }
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'shell'; readonly script: string };

/** A health check with every timing resolved, in whole seconds. */
export interface HealthCheckModel {
  readonly probe: ProbeModel;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** 0 when the check counts from the first attempt. */
  readonly startPeriodSeconds: number;
}
