import { loadConfig } from '../../../src/config/load';
import { redisTlsOptions } from '../../../src/config/redis-tls';
import { problemsOf } from '../../support/config-problems';

const yamlFile = (text: string) => () => text;

describe('redis configuration', () => {
  it('when nothing is set, then eviction is refused and no TLS options are made', () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'ngw', allowEviction: false, checkInterval: 30_000, waitReplicas: 0 });
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

  it('when REDIS_SENTINELS and REDIS_SENTINEL_NAME are set, then the gateway asks those sentinels for that master and waits for one replica', () => {
    const config = loadConfig({ REDIS_SENTINELS: 'sentinel-1:26379, sentinel-2:26379,10.0.0.3:26380', REDIS_SENTINEL_NAME: 'ngw', REDIS_PASSWORD: 'p', REDIS_SENTINEL_PASSWORD: 's' });
    expect(config.redis).toMatchObject({
      sentinels: [{ host: 'sentinel-1', port: 26379 }, { host: 'sentinel-2', port: 26379 }, { host: '10.0.0.3', port: 26380 }],
      name: 'ngw', password: 'p', sentinelPassword: 's', prefix: 'ngw', waitReplicas: 1,
    });
  });

  it('when REDIS_CLUSTER_NODES is set, then the prefix gets a hash tag so every key of the gateway shares one slot', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001', REDIS_PREFIX: 'alerts' });
    expect(config.redis).toMatchObject({ cluster: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }], prefix: '{alerts}', waitReplicas: 0 });
    // Already tagged: kept as written.
    expect(loadConfig({ GATEWAY_CONFIG: 'g.yaml' }, yamlFile('redis: { cluster: [{ host: r1, port: 7000 }], prefix: "{ngw}" }')).redis.prefix).toBe('{ngw}');
  });

  it('when the topology is ambiguous or incomplete, then each problem names its setting', () => {
    expect(problemsOf(() => loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r1:7000' }))).toEqual(['redis.cluster: set one of url, sentinels or cluster, not url and cluster (set REDIS_CLUSTER_NODES)']);
    expect(problemsOf(() => loadConfig({ REDIS_SENTINELS: 's1:26379' }))).toEqual(['redis.name: required with sentinels: the master group name the sentinels monitor (set REDIS_SENTINEL_NAME)']);
    expect(problemsOf(() => loadConfig({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm' }))).toEqual(['redis.sentinels.0.port: a port number (host:port, e.g. sentinel-1:26379)']);
    expect(problemsOf(() => loadConfig({ GATEWAY_CONFIG: 'g.yaml' }, yamlFile('redis: { cluster: ["r1:7000"], waitReplicas: 1 }')))).toEqual([
      'redis.waitReplicas: not with a Cluster: each primary replicates its own slots',
    ]);
  });
});
