import { loadConfig } from '../../../src/config/load';

describe('ADMIN_TOKEN', () => {
  it('when set with the environment only, then it becomes auth.adminToken', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'from-env' }).auth.adminToken).toBe('from-env');
    expect(loadConfig({}).auth.adminToken).toBeUndefined();
  });

  it('when set next to a config file, then it wins over the file and keeps the file\'s other auth settings', () => {
    const file = () => 'auth: { token: shared-token, adminToken: from-file }\n';
    expect(loadConfig({ GATEWAY_CONFIG: '/etc/gw.yaml' }, file).auth.adminToken).toBe('from-file');
    const config = loadConfig({ GATEWAY_CONFIG: '/etc/gw.yaml', ADMIN_TOKEN: 'from-env' }, file);
    expect(config.auth).toMatchObject({ token: 'shared-token', adminToken: 'from-env' });
  });
});
