import { AgentHostPaths, AgentService, HealthCheck, ProbeTool, Stack, SynthesizedStack, Testing, Worker } from '../../lib';
import { manifest } from '../support/manifests';

function podSpec(out: SynthesizedStack, name: string): any {
  return manifest(out, 'DaemonSet', name).spec.template.spec;
}

function newStack() {
  return new Stack(Testing.app(), 'p88');
}

const IMAGE = 'grafana/agent:v0.40.5';

describe('AgentService', () => {
  it('renders a DaemonSet without replicas and a ClusterIP Service for its port on Kubernetes', () => {
    const stack = newStack();
    new AgentService(stack, 'grafana-agent', { image: IMAGE, ports: [{ port: 12345, name: 'http' }] });

    const out = Testing.synth(stack);

    expect(out.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['DaemonSet/grafana-agent', 'Service/grafana-agent']);
    const daemonSet = manifest(out, 'DaemonSet', 'grafana-agent');
    expect(daemonSet.apiVersion).toBe('apps/v1');
    expect(daemonSet.spec.replicas).toBeUndefined();
    expect(daemonSet.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'grafana-agent', 'app.kubernetes.io/part-of': 'p88' });
    expect(podSpec(out, 'grafana-agent').containers[0].ports).toEqual([{ name: 'http', containerPort: 12345, protocol: 'TCP' }]);
    expect(manifest(out, 'Service', 'grafana-agent').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 12345, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('renders one Compose service with the Docker socket and container logs as read-only binds', () => {
    const stack = newStack();
    new AgentService(stack, 'grafana-agent', {
      image: IMAGE,
      command: ['-config.file=/etc/agent/agent.yaml'],
      env: { LOKI_URL: 'https://logs.example.com/loki/api/v1/push' },
      ports: [{ port: 12345, name: 'http' }],
      hostPaths: [AgentHostPaths.dockerSocket(), AgentHostPaths.dockerContainerLogs(), AgentHostPaths.podLogs()],
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services['grafana-agent']).toEqual({
      image: IMAGE,
      command: ['-config.file=/etc/agent/agent.yaml'],
      environment: { LOKI_URL: 'https://logs.example.com/loki/api/v1/push' },
      expose: ['12345'],
      volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro', '/var/lib/docker/containers:/var/lib/docker/containers:ro'],
      restart: 'unless-stopped',
      cap_drop: ['ALL'],
      cap_add: ['NET_BIND_SERVICE'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toBeUndefined();
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'p88/grafana-agent',
      message: 'host path /var/log/pods is left out on Compose: it is kept to kubernetes',
    });
  });

  it('mounts the pod log folder as a read-only hostPath volume of the node and leaves the Docker paths out', () => {
    const stack = newStack();
    new AgentService(stack, 'grafana-agent', {
      image: IMAGE,
      hostPaths: [AgentHostPaths.dockerSocket(), AgentHostPaths.podLogs()],
    });

    const out = Testing.synth(stack);

    const spec = podSpec(out, 'grafana-agent');
    expect(spec.volumes).toEqual([{ name: 'host-var-log-pods', hostPath: { path: '/var/log/pods' } }]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'host-var-log-pods', mountPath: '/var/log/pods', readOnly: true }]);
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'p88/grafana-agent',
      message: 'host path /var/run/docker.sock is left out on Kubernetes: it is kept to compose',
    });
  });

  it('mounts a host path at another container path and writable when asked', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', {
      image: IMAGE,
      hostPaths: [{ path: '/var/lib/agent', target: '/state', readOnly: false }],
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services.agent.volumes).toEqual(['/var/lib/agent:/state']);
    expect(podSpec(out, 'agent').volumes).toEqual([{ name: 'host-var-lib-agent', hostPath: { path: '/var/lib/agent' } }]);
    expect(podSpec(out, 'agent').containers[0].volumeMounts).toEqual([{ name: 'host-var-lib-agent', mountPath: '/state' }]);
  });

  it('drops every capability but the one agent binaries carry as a file capability, and keeps the image user', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', { image: IMAGE });

    const out = Testing.synth(stack);

    const spec = podSpec(out, 'agent');
    expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
    });
    expect(out.compose!.services.agent.user).toBeUndefined();
  });

  it('replaces the default hardening with the given security', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', { image: IMAGE, security: { user: 473, readOnlyRootFilesystem: true } });

    const out = Testing.synth(stack);

    expect(out.compose!.services.agent).toMatchObject({ user: '473', read_only: true, security_opt: ['no-new-privileges:true'] });
    expect(out.compose!.services.agent.cap_drop).toBeUndefined();
    expect(podSpec(out, 'agent').containers[0].securityContext).toEqual({
      runAsUser: 473,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
    });
  });

  it('probes its ready endpoint with the given tool on Compose and with httpGet on Kubernetes', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', {
      image: IMAGE,
      ports: [{ port: 12345, name: 'http' }],
      healthCheck: HealthCheck.http('/-/ready', { probeTool: ProbeTool.WGET }),
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services.agent.healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', '--spider', 'http://localhost:12345/-/ready'],
      interval: '10s',
      timeout: '5s',
      retries: 3,
    });
    expect(podSpec(out, 'agent').containers[0].readinessProbe).toEqual({
      httpGet: { path: '/-/ready', port: 12345 },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
  });

  it('probes an image without curl or wget through bash on Compose', () => {
    const stack = newStack();
    const bashProbe = ProbeTool.command([
      'bash',
      '-c',
      'exec 3<>/dev/tcp/127.0.0.1/{port} && printf "GET /-/ready HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q " 200 " <&3',
    ]);
    new AgentService(stack, 'agent', {
      image: IMAGE,
      ports: [{ port: 12345, name: 'http' }],
      healthCheck: HealthCheck.http('/-/ready', { probeTool: bashProbe }),
    });

    const out = Testing.synth(stack);

    expect((out.compose!.services.agent.healthcheck as { test: string[] }).test).toEqual([
      'CMD',
      'bash',
      '-c',
      'exec 3<>/dev/tcp/127.0.0.1/12345 && printf "GET /-/ready HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q " 200 " <&3',
    ]);
    expect(podSpec(out, 'agent').containers[0].readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 12345 });
  });

  it('gives a consumer its host and port, and the consumer waits for it to be healthy', () => {
    const stack = newStack();
    const agent = new AgentService(stack, 'otel-agent', {
      image: IMAGE,
      ports: [{ port: 4317, name: 'otlp-grpc' }],
      healthCheck: HealthCheck.tcp(),
    });
    new Worker(stack, 'worker', { image: 'registry.gitlab.com/p88/app:1.0.0' }).connect(agent);

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.environment).toEqual({ OTEL_AGENT_HOST: 'otel-agent', OTEL_AGENT_PORT: '4317' });
    expect(out.compose!.services.worker.depends_on).toEqual({ 'otel-agent': { condition: 'service_healthy' } });
  });

  it('fails when given replicas', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', { image: IMAGE, replicas: 2 } as never);

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/agent\] AgentService has no prop "replicas": it runs one copy per node; remove replicas/);
  });

  it('fails without an image', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', {} as never);

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/agent\] has neither an image nor a build/);
  });

  it('fails when a host path is relative', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', { image: IMAGE, hostPaths: [{ path: 'var/log' }] });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/agent\] host path "var\/log" is not an absolute path of the host; use e\.g\. Mount\.hostPath\('\/var\/log\/pods'\)/);
  });

  it('fails when hostPaths holds something other than a path object', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', { image: IMAGE, hostPaths: ['/var/log/pods'] as never });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/agent\] hostPaths must hold \{ path \} objects \(see AgentHostPaths\), got "\/var\/log\/pods"/);
  });

  it('fails when a host path names an unknown target', () => {
    const stack = newStack();
    new AgentService(stack, 'agent', { image: IMAGE, hostPaths: [{ path: '/var/log', targets: ['swarm'] as never }] });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/agent\] host path \/var\/log has targets \["swarm"\]; use a non-empty list of 'compose' and 'kubernetes'/);
  });
});
