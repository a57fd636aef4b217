import { startFakeHttp } from './fake-http';

// Tests hold requests open with 'hang'; closing the fake must free them and end every wait, or a
// test file would hang in teardown or leave a deadline timer running after it.
describe('the fake HTTP server', () => {
  it('when it closes, then a hung request is dropped and a wait for more requests ends at once', async () => {
    const fake = await startFakeHttp(() => 'hang');
    const hung = fetch(`${fake.url}/send`, { method: 'POST', body: '{}' });
    await fake.waitForRequests(1);
    // Far beyond the test's own timeout: only close() can end this wait in time.
    const waiting = fake.waitForRequests(2, 120_000);

    await fake.close();

    await expect(waiting).rejects.toThrow('fake server: closed after 1 of 2 expected request(s)');
    await expect(hung).rejects.toThrow('fetch failed');
  });

  it('when the requests arrive, then the wait resolves with them', async () => {
    const fake = await startFakeHttp(() => ({ status: 204, body: '' }));
    try {
      const waiting = fake.waitForRequests(2);
      for (const n of [1, 2]) expect((await fetch(`${fake.url}/send?n=${n}`, { method: 'POST' })).status).toBe(204);
      expect((await waiting).map((r) => r.query)).toEqual([{ n: '1' }, { n: '2' }]);
    } finally {
      await fake.close();
    }
  });
});
