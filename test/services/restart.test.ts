import { ContainerService, MigrationJob, Stack, Testing } from '../../lib';
import { synthChecked } from '../support/synth-checked';
import { thrown } from '../support/thrown';

describe('restart', () => {
  it('renders the Compose restart policy given, and reports that Kubernetes restarts anyway', () => {
    const out = synthChecked((stack) => {
      new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ port: 8000 }], restart: 'no' });
      new ContainerService(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', ports: [{ port: 80 }], restart: 'always' });
    });
    expect(out.compose!.services.api.restart).toBe('no');
    expect(out.compose!.services.web.restart).toBe('always');
    expect(out.files['compose.yaml']).toContain('restart: "no"');
    expect(out.messages).toContainEqual(
      expect.objectContaining({ level: 'warning', path: 'shop/api', message: expect.stringMatching(/^restart 'no' is Compose only: Kubernetes restarts the container of a Deployment/) }),
    );
    expect(out.messages.filter((m) => m.path === 'shop/web' && /restart/.test(m.message))).toEqual([]);
  });

  it('fails on a restart policy for a job, and on one Compose does not know', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/api:1.0.0', command: ['migrate'], restart: 'always' } as never);
    new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', restart: 'sometimes' as never });
    const message = thrown(() => Testing.synth(stack));
    expect(message).toMatch(/\[shop\/migrate\] MigrationJob has no prop "restart": a one-shot job never restarts/);
    expect(message).toMatch(/\[shop\/api\] restart "sometimes" is not one of 'unless-stopped', 'always', 'on-failure', 'no'/);
  });
});
