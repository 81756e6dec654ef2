import { Construct } from 'constructs';
import { checkProps } from '../core/known-props';
import { WorkloadOptions } from './options';
import { workloadProps } from './private/known-options';
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

const NO_PORT = 'a Worker has no inbound port; use a WebApp or a ContainerService for a process that listens on one';
const PROPS = workloadProps<WorkerProps>('WorkerProps', {
  more: ['replicas'],
  omitted: { port: NO_PORT, ports: NO_PORT, hostPort: NO_PORT, publicEndpoint: NO_PORT },
});

/**
 * A long-running process with no inbound port: a queue consumer, a scheduler.
 *
 * Compose: a service with `deploy.replicas`. Kubernetes: a Deployment and no Service.
 */
export class Worker extends Workload {
  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props, { kind: 'service', replicas: props?.replicas });
    checkProps(this, Worker, props, PROPS);
  }
}
