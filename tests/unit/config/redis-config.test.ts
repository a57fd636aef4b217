import { loadConfig } from '../../../src/config/load';
import { redisTlsOptions } from '../../../src/config/redis-tls';
import { problemsOf } from '../../support/config-problems';

const yamlFile = (text: string) => () => text;

describe('redis configuration', () => {
  it('when nothing is set, then eviction is refused and no TLS options are made', () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'ngw', allowEviction: false, checkInterval: 30_000 });
    expect(redisTlsOptions(config.redis.tls)).toBeUndefined();
  });

  it('when REDIS_ALLOW_EVICTION and REDIS_TLS_CA_FILE are set, then environment-only mode uses them', () => {
    const config = loadConfig({ REDIS_ALLOW_EVICTION: 'true', REDIS_TLS_CA_FILE: '/etc/ca.pem' });
    expect(config.redis).toMatchObject({ allowEviction: true, tls: { caFile: '/etc/ca.pem' } });
  });

  it('when redis.tls names files, then they are read into Node TLS options', () => {
    const files: Record<string, string> = { '/ca.pem': 'CA', '/c.pem': 'CERT', '/c.key': 'KEY' };
    const read = (path: string) => Buffer.from(files[path]!);
    expect(redisTlsOptions({ caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/c.key', servername: 'redis.internal' }, read)).toEqual({
      ca: Buffer.from('CA'),
      cert: Buffer.from('CERT'),
      key: Buffer.from('KEY'),
      servername: 'redis.internal',
    });
  });

  it('when certFile comes without keyFile, then the config names the problem', () => {
    expect(problemsOf(() => loadConfig({ GATEWAY_CONFIG: 'g.yaml' }, yamlFile('redis: { tls: { certFile: /c.pem } }')))).toEqual([
      'redis.tls.certFile: set certFile and keyFile together',
    ]);
  });
});
