import { podSecurityViolations, sortFindings } from './findings';

describe('podSecurityViolations', () => {
  it('splits a Pod Security warning into its checks, keeping the commas inside each check', () => {
    const warning =
      'would violate PodSecurity "restricted:latest": unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "b" must set securityContext.runAsNonRoot=true)';
    expect(podSecurityViolations(warning)).toEqual([
      'unrestricted capabilities (containers "a", "b" must set securityContext.capabilities.drop=["ALL"])',
      'runAsNonRoot != true (pod or container "b" must set securityContext.runAsNonRoot=true)',
    ]);
  });

  it('finds no check in another warning', () => {
    expect(podSecurityViolations('spec.template.spec.containers[0].env[1]: hides previous definition of "A"')).toEqual([]);
  });
});

describe('sortFindings', () => {
  const known = [
    { namespace: /^p88-/, object: 'DaemonSet/agent', message: /hostPath/, reason: 'host paths' },
    { namespace: 'shop', object: 'Job/migrate-*', message: /capabilities/, reason: 'no drop ALL' },
  ];

  it('lets a known finding pass, glob and pattern alike', () => {
    const findings = [
      { namespace: 'p88-dev', object: 'DaemonSet/agent', message: 'hostPath volumes (volumes "proc")' },
    ];
    expect(sortFindings('p88-dev', findings, known)).toEqual({ unexpected: [], fixed: [] });
    const job = [{ namespace: 'shop', object: 'Job/migrate-0123456789', message: 'unrestricted capabilities (...)' }];
    expect(sortFindings('shop', job, known)).toEqual({ unexpected: [], fixed: [] });
  });

  it('fails a new finding, also one of a known kind on another object', () => {
    const findings = [
      { namespace: 'p88-dev', object: 'DaemonSet/agent', message: 'hostPath volumes' },
      { namespace: 'p88-dev', object: 'DaemonSet/other', message: 'hostPath volumes' },
    ];
    expect(sortFindings('p88-dev', findings, known).unexpected).toEqual(['p88-dev: DaemonSet/other: hostPath volumes']);
  });

  it("reports a known failure of the namespace that no longer happens, and ignores other namespaces' entries", () => {
    expect(sortFindings('p88-prod', [], known)).toEqual({ unexpected: [], fixed: ['/^p88-/ DaemonSet/agent /hostPath/ (host paths)'] });
    expect(sortFindings('quickstart', [], known)).toEqual({ unexpected: [], fixed: [] });
  });

  it('does not read a * in a known object as a pattern beyond "any characters"', () => {
    const findings = [{ namespace: 'shop', object: 'Job/migrateX', message: 'unrestricted capabilities' }];
    expect(sortFindings('shop', findings, [{ ...known[1], object: 'Job/migrate.*' }]).unexpected).toHaveLength(1);
  });
});
