import { configSchema } from '../../../src/config/schema';
import { startupLine } from '../../../src/observability/startup-line';

describe('startup line with Sentinel or Cluster', () => {
  it('when Redis is a Sentinel group, then the line names the master group and the sentinels, never the passwords', () => {
    const config = configSchema.parse({
      redis: { sentinels: [{ host: 's1', port: 26379 }, 's2:26379'], name: 'ngw-master', password: 'data-pass', sentinelPassword: 'sentinel-pass' },
    });
    const line = startupLine(config, '0.1.0', 9000);
    expect(line.fields).toMatchObject({ redis: 'sentinel master "ngw-master" via s1:26379,s2:26379', prefix: 'ngw' });
    const text = JSON.stringify(line);
    for (const secret of ['data-pass', 'sentinel-pass']) expect(text).not.toContain(secret);
  });

  it('when Redis is a Cluster, then the line names the given nodes and the hash-tagged prefix every key uses', () => {
    const config = configSchema.parse({ redis: { cluster: ['10.0.0.1:7000', '10.0.0.2:7000'], prefix: 'alerts' } });
    expect(startupLine(config, '0.1.0', 9000).fields).toMatchObject({ redis: 'cluster 10.0.0.1:7000,10.0.0.2:7000', prefix: '{alerts}' });
  });
});
