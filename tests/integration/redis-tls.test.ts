import { Writable } from 'node:stream';
import request from 'supertest';
import { configSchema } from '../../src/config/schema';
import { startGateway } from '../../src/gateway';
import { sampleAlertmanagerPayload } from '../../src/ingest/operator/samples';
import { startHarness, type Harness } from '../support/gateway-harness';
import { createTlsRedis, type TlsRedis } from '../support/tls-redis';

describe('when Redis speaks TLS with a certificate from a private CA', () => {
  let redis: TlsRedis;
  let gw: Harness | undefined;

  beforeAll(async () => {
    redis = await createTlsRedis();
  });
  afterEach(async () => {
    await gw?.stop().catch(() => undefined);
    gw = undefined;
  });
  afterAll(async () => {
    await redis.cleanup();
  });

  it('then with redis.tls (CA, client certificate, servername) the gateway stores and delivers alerts', async () => {
    const tls = { caFile: redis.files.ca, certFile: redis.files.clientCert, keyFile: redis.files.clientKey, servername: redis.servername };
    gw = await startHarness({ redis: { url: `rediss://127.0.0.1:${redis.port}`, tls } }, 'tls');

    await request(gw.url).get('/ready').expect(200);
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(202);
    await gw.waitForLog(/Alertmanager -> console sent/);
  });

  it('then without the CA the connection is refused, /ready says why and the log names the certificate problem', async () => {
    gw = await startHarness({ role: 'api', redis: { url: `rediss://127.0.0.1:${redis.port}` } }, 'tls-no-ca');

    const ready = await request(gw.url).get('/ready').expect(503);
    expect(ready.body.reason).toMatch(/^Redis does not answer/);
    await request(gw.url).post('/webhook/alertmanager').send(sampleAlertmanagerPayload(new Date()) as object).expect(503);
    await gw.waitForLog(/warn {2}Redis unreachable: .*certificate/);
  });

  it('then an unreadable redis.tls.caFile stops the start with a configuration error naming it', async () => {
    const config = configSchema.parse({ port: 0, redis: { url: `rediss://127.0.0.1:${redis.port}`, tls: { caFile: '/nonexistent/ca.pem' } } });
    const logStream = new Writable({ write: (_chunk, _encoding, done) => done() });

    await expect(startGateway(config, { logStream })).rejects.toThrow(/redis\.tls\.caFile: cannot read \/nonexistent\/ca\.pem: ENOENT/);
  });
});
