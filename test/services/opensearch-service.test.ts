import { HealthCheck, OpenSearchService, Secret, Size, Stack, Testing, WebApp } from '../../lib';
import { manifest, container } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

function newStack() {
  return new Stack(Testing.app(), 'shop');
}

const SINGLE_NODE_ARGS = ['opensearch', '-Ediscovery.type=single-node', '-Ebootstrap.memory_lock=false', '-Enode.store.allow_mmap=false'];

describe('OpenSearchService', () => {
  it('renders a single node with memory lock and mmap off, its heap, and the security plugin off by default', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search');

    const out = Testing.synth(stack);

    expect(out.compose!.services.search).toEqual({
      image: 'opensearchproject/opensearch:2.17.1',
      command: SINGLE_NODE_ARGS,
      environment: {
        OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
        DISABLE_INSTALL_DEMO_CONFIG: 'true',
        DISABLE_SECURITY_PLUGIN: 'true',
      },
      expose: ['9200', '9600'],
      volumes: ['search-data:/usr/share/opensearch/data'],
      healthcheck: {
        test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:9200/_cluster/health?wait_for_status=yellow&timeout=3s'],
        interval: '10s',
        timeout: '5s',
        retries: 5,
        start_period: '1m',
      },
      restart: 'unless-stopped',
      user: '1000:1000',
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toEqual({ 'search-data': {} });
  });

  it('runs as a non-root StatefulSet whose volume the image user can write, with an HTTP probe on _cluster/health', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { storage: Size.gibibytes(20), storageClass: 'fast-ssd' });

    const out = Testing.synth(stack);

    const statefulSet = manifest(out, 'StatefulSet', 'search');
    expect(statefulSet.spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container(statefulSet).securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container(statefulSet).args).toEqual(SINGLE_NODE_ARGS);
    expect(container(statefulSet).ports).toEqual([
      { name: 'http', containerPort: 9200, protocol: 'TCP' },
      { name: 'perf-analyzer', containerPort: 9600, protocol: 'TCP' },
    ]);
    expect(container(statefulSet).volumeMounts).toEqual([{ name: 'data', mountPath: '/usr/share/opensearch/data' }]);
    expect(container(statefulSet).readinessProbe).toEqual({
      httpGet: { path: '/_cluster/health?wait_for_status=yellow&timeout=3s', port: 9200 },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 5,
    });
    expect(container(statefulSet).startupProbe).toBeUndefined();
    expect(statefulSet.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(manifest(out, 'Service', 'search').spec.clusterIP).toBe('None');
  });

  it('keeps a group the user gives for the volume, and the rest of the hardening', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { security: { fsGroup: 2000, dropCapabilities: ['NET_RAW'] } });

    const out = Testing.synth(stack);

    const statefulSet = manifest(out, 'StatefulSet', 'search');
    expect(statefulSet.spec.template.spec.securityContext.fsGroup).toBe(2000);
    expect(out.compose!.services.search.cap_drop).toEqual(['NET_RAW']);
  });

  it('derives the heap options from a Size', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { heap: Size.gibibytes(2) });

    const out = Testing.synth(stack);

    expect((out.compose!.services.search.environment as Record<string, string>).OPENSEARCH_JAVA_OPTS).toBe('-Xms2048m -Xmx2048m');
  });

  it('turns the security plugin on with an admin password Secret, checked over HTTPS with the login', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { adminPassword: Secret.fromEnv('OPENSEARCH_INITIAL_ADMIN_PASSWORD') });

    const out = Testing.synth(stack);

    const service = out.compose!.services.search;
    expect(service.environment).toEqual({
      OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
      OPENSEARCH_INITIAL_ADMIN_PASSWORD: '${OPENSEARCH_INITIAL_ADMIN_PASSWORD:?set OPENSEARCH_INITIAL_ADMIN_PASSWORD in .env (see .env.example)}',
    });
    expect(service.healthcheck).toMatchObject({
      test: [
        'CMD-SHELL',
        'curl -fsSk -o /dev/null -u "admin:$$OPENSEARCH_INITIAL_ADMIN_PASSWORD" "https://localhost:9200/_cluster/health?wait_for_status=yellow&timeout=3s"',
      ],
    });
    const probe = container(manifest(out, 'StatefulSet', 'search')).readinessProbe;
    expect(probe.exec.command).toEqual([
      'sh',
      '-c',
      'curl -fsSk -o /dev/null -u "admin:$OPENSEARCH_INITIAL_ADMIN_PASSWORD" "https://localhost:9200/_cluster/health?wait_for_status=yellow&timeout=3s"',
    ]);
    expect(out.files['.env.example']).toMatch(/^OPENSEARCH_INITIAL_ADMIN_PASSWORD=$/m);
  });

  it('gives a consumer an http URL by default and waits for the node to be healthy', () => {
    const stack = newStack();
    const search = new OpenSearchService(stack, 'search');
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000 }).connect(search);
    new WebApp(stack, 'admin', { image: 'ghcr.io/acme/admin:1.0.0', port: 8000 }).connect(search, { env: 'OPENSEARCH_URL' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.environment).toEqual({ SEARCH_URL: 'http://search:9200' });
    expect(out.compose!.services.api.depends_on).toEqual({ search: { condition: 'service_healthy' } });
    expect(out.compose!.services.admin.environment).toEqual({ OPENSEARCH_URL: 'http://search:9200' });
    const waits = manifest(out, 'Deployment', 'api').spec.template.spec.initContainers;
    expect(waits[0].command[2]).toContain('nc -z -w 2 search 9200');
  });

  it('gives a consumer an https URL with the admin login when the security plugin is on', () => {
    const stack = newStack();
    const search = new OpenSearchService(stack, 'search', { adminPassword: Secret.fromEnv('OPENSEARCH_INITIAL_ADMIN_PASSWORD') });
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000 }).connect(search, { env: 'OPENSEARCH_URL' });

    const out = Testing.synth(stack);

    expect((out.compose!.services.api.environment as Record<string, string>).OPENSEARCH_URL).toBe(
      'https://admin:${OPENSEARCH_INITIAL_ADMIN_PASSWORD:?set OPENSEARCH_INITIAL_ADMIN_PASSWORD in .env (see .env.example)}@search:9200',
    );
    const env = container(manifest(out, 'Deployment', 'api')).env;
    expect(env).toContainEqual({ name: 'OPENSEARCH_URL', value: 'https://admin:$(OPENSEARCH_INITIAL_ADMIN_PASSWORD)@search:9200' });
  });

  it('adds settings as -E arguments, replacing built-in ones of the same name', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { settings: { 'cluster.name': 'p88', 'node.store.allow_mmap': 'true' } });

    const out = Testing.synth(stack);

    expect(out.compose!.services.search.command).toEqual([
      'opensearch',
      '-Ediscovery.type=single-node',
      '-Ebootstrap.memory_lock=false',
      '-Enode.store.allow_mmap=true',
      '-Ecluster.name=p88',
    ]);
  });

  it('publishes the REST port on Compose only, and uses a health check given instead', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { hostPort: 9200, healthCheck: HealthCheck.tcp({ port: 9200 }) });

    const out = Testing.synth(stack);

    expect(out.compose!.services.search.ports).toEqual(['9200:9200']);
    expect((out.compose!.services.search.healthcheck as { test: string[] }).test).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '9200']);
    expect(out.messages.map((m) => m.message)).toContainEqual(expect.stringContaining('host port 9200 is published on Compose only'));
  });

  it('passes the real-tool checks with the security plugin off and on', () => {
    synthChecked((stack) => {
      const open = new OpenSearchService(stack, 'search');
      const secured = new OpenSearchService(stack, 'secured', { adminPassword: Secret.fromEnv('OPENSEARCH_INITIAL_ADMIN_PASSWORD') });
      new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000 }).connect(open).connect(secured, { env: 'SECURED_URL' });
    }, 'search-stack');
  });

  it('fails when the admin password is a plain string', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { adminPassword: 'hunter2' as unknown as Secret });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/search\] adminPassword must be a Secret/);
  });

  it('fails when the heap is not a whole number of mebibytes', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { heap: Size.mebibytes(0.5) });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/search\] heap must be a whole number of mebibytes, got 0.5 mebibytes/);
  });

  it('fails when the memory limit leaves no room beside the heap', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { heap: Size.gibibytes(1), resources: { limits: { memory: Size.gibibytes(1) } } });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/search\] the memory limit \(1 gibibytes\) leaves no room beside the 1 gibibytes heap/);
  });

  it('fails when a setting name is not an OpenSearch setting', () => {
    const stack = newStack();
    new OpenSearchService(stack, 'search', { settings: { 'Cluster Name': 'p88' } });

    expect(() => Testing.synth(stack)).toThrow(/setting name "Cluster Name" is not an OpenSearch setting name/);
  });
});
