// Our half of the side-by-side benchmark: the same N web services as cdk8s-services.ts, written
// with cdk-compose, which renders each to Compose and to Kubernetes: 5 env values, an HTTP health
// check, 2 replicas, requests and limits, port 8080 behind a Service. The pipeline bench copies
// this file into a scratch project with '../../lib' read as 'cdk-compose'.
import { App, Duration, HealthCheck, Size, Stack, WebApp } from '../../lib';

/** Adds a stack named `name` with `services` web services to `app`. */
export function defineCdkComposeServices(app: App, name: string, services: number): Stack {
  const stack = new Stack(app, name);
  for (let i = 0; i < services; i++) {
    const id = `web${String(i).padStart(5, '0')}`;
    new WebApp(stack, id, {
      image: `ghcr.io/acme/${id}:1.4.2`,
      port: 8080,
      replicas: 2,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        SERVICE_NAME: id,
        REGION: 'eu-west-1',
        FEATURE_FLAGS: 'search,checkout',
      },
      healthCheck: HealthCheck.http('/healthz', { interval: Duration.seconds(15), timeout: Duration.seconds(5) }),
      resources: { limits: { cpu: 0.5, memory: Size.mebibytes(512) }, requests: { cpu: 0.1, memory: Size.mebibytes(128) } },
    });
  }
  return stack;
}
