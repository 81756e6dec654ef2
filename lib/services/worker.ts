import { Construct } from 'constructs';
import { WorkloadOptions } from './options';
import { Workload } from './workload';

/**
 * Properties for a `Worker`.
 */
export interface WorkerProps extends WorkloadOptions {
  /**
   * Number of copies to run.
   *
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * A long-running process with no inbound port: a queue consumer, a scheduler.
 *
 * Compose: a service with `deploy.replicas`. Kubernetes: a Deployment and no Service.
 */
export class Worker extends Workload {
  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props, { kind: 'service', replicas: props?.replicas });
  }
}
