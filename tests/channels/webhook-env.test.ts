import { loadConfig } from '../../src/config/load';
import { channelSecrets } from '../../src/channels/registry';

const YAML = [
  'channels:',
  '  ops-hook:',
  '    type: webhook',
  '    url: "https://hooks.example.com/in?token=${HOOK_QUERY_TOKEN}"',
  '    headers: { Authorization: "Bearer ${HOOK_TOKEN}", X-Gitlab-Token: "${GITLAB_TOKEN}", X-Team: sre }',
  '    secret: "${HOOK_SECRET}"',
  '',
].join('\n');

const load = (env: Record<string, string>) => loadConfig({ GATEWAY_CONFIG: '/etc/ngw/gateway.yaml', ...env }, () => YAML);

describe('webhook headers from the environment', () => {
  it('when header values name ${VAR}s, then they are substituted, and every substituted value is a secret the logger scrubs', () => {
    const config = load({ HOOK_TOKEN: 'tok-from-env-1', GITLAB_TOKEN: 'glpat-from-env-2', HOOK_SECRET: 'whsec-from-env-3', HOOK_QUERY_TOKEN: 'qtok-from-env-4' });

    expect(config.channels['ops-hook']).toMatchObject({ headers: { Authorization: 'Bearer tok-from-env-1', 'X-Gitlab-Token': 'glpat-from-env-2', 'X-Team': 'sre' } });
    expect(channelSecrets(config.channels)).toEqual(expect.arrayContaining(['tok-from-env-1', 'glpat-from-env-2', 'whsec-from-env-3', 'qtok-from-env-4']));
  });

  it('when a header\'s variable is unset, then the start stops naming the header', () => {
    expect(() => load({ HOOK_TOKEN: 'tok-from-env-1', HOOK_SECRET: 's', HOOK_QUERY_TOKEN: 'q' })).toThrow(
      /channels\.ops-hook\.headers\.X-Gitlab-Token: empty: is the variable it names set\?/,
    );
    expect(() => load({ GITLAB_TOKEN: 'g', HOOK_SECRET: 's', HOOK_QUERY_TOKEN: 'q' })).toThrow(
      /channels\.ops-hook\.headers\.Authorization: starts or ends with a space: is the variable it names set\?/,
    );
  });
});
