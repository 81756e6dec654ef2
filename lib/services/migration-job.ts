import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { checkProps } from '../core/known-props';
import { WorkloadOptions } from './options';
import { workloadProps } from './private/known-options';
import { Workload } from './workload';

/**
 * Properties for a `MigrationJob`.
 */
export interface MigrationJobProps extends Omit<WorkloadOptions, 'restart'> {
  /**
   * Extra attempts after a failed run on Kubernetes. Compose runs a one-shot once, so the
   * default keeps both targets the same.
   *
   * @default 0
   */
  readonly retries?: number;
}

const PROPS = workloadProps<MigrationJobProps>('MigrationJobProps', {
  without: ['restart'],
  more: ['retries'],
  omitted: {
    replicas: 'a one-shot job runs once; remove replicas (retries gives it more attempts after a failure)',
    restart: 'a one-shot job never restarts; remove restart (retries gives it more attempts after a failure)',
  },
});

/**
 * A one-shot container that must succeed before its consumers start: a schema migration,
 * a bootstrap of seed data.
 *
 * Compose: a service with `restart: "no"`; consumers use `service_completed_successfully`.
 * Kubernetes: a Job named after a hash of its spec, so a changed spec is a new Job that
 * runs once per deploy; consumers' init containers wait for it to complete.
 */
export class MigrationJob extends Workload {
  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id, props, { kind: 'job', backoffLimit: props?.retries ?? 0 });
    checkProps(this, MigrationJob, props, PROPS);
    const retries = props?.retries;
    if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
      Annotations.of(this).addError(`retries must be a whole number of at least 0, got ${JSON.stringify(retries)}`);
    }
  }

  /** A job has nothing to connect to; consumers wait for it with `after`. */
  public connectionEnv(): string {
    return `${this.workloadName} is a one-shot job and has nothing to connect to; use \`after: [${this.workloadName}]\` to wait for it`;
  }
}
