// The peer's half of the side-by-side benchmark: N web services written with cdk8s 2 and
// cdk8s-plus-28, as a user picking cdk8s for Kubernetes would write them. Each one is the same
// service as in cdk-compose-services.ts: 5 env values, an HTTP readiness check, 2 replicas,
// requests and limits, port 8080 behind a Service. The pipeline bench copies this file into a
// scratch project as it is, so it imports only cdk8s packages.
import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu, Deployment, EnvValue, Probe } from 'cdk8s-plus-28';

/** Adds a chart named `name` with `services` web services to `app`. */
export function defineCdk8sServices(app: App, name: string, services: number): Chart {
  const chart = new Chart(app, name);
  for (let i = 0; i < services; i++) {
    const id = `web${String(i).padStart(5, '0')}`;
    const deployment = new Deployment(chart, id, {
      replicas: 2,
      containers: [
        {
          name: 'app',
          image: `ghcr.io/acme/${id}:1.4.2`,
          portNumber: 8080,
          envVariables: {
            NODE_ENV: EnvValue.fromValue('production'),
            LOG_LEVEL: EnvValue.fromValue('info'),
            SERVICE_NAME: EnvValue.fromValue(id),
            REGION: EnvValue.fromValue('eu-west-1'),
            FEATURE_FLAGS: EnvValue.fromValue('search,checkout'),
          },
          readiness: Probe.fromHttpGet('/healthz', { port: 8080, periodSeconds: Duration.seconds(15), timeoutSeconds: Duration.seconds(5) }),
          resources: {
            cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
            memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
          },
        },
      ],
    });
    deployment.exposeViaService({ ports: [{ port: 8080 }] });
  }
  return chart;
}
