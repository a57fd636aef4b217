import { alertGroup } from './alert-burst';

/**
 * Posts one alert per name to a gateway's Alertmanager webhook, `perRequest` alerts to a group as
 * Alertmanager batches them, one group after another, and expects each to be acknowledged (202).
 * Returns the ids of the delivery jobs the gateway answered with.
 */
export async function postAlertGroups(url: string, names: readonly string[], perRequest: number): Promise<string[]> {
  const jobIds: string[] = [];
  for (let i = 0; i < names.length; i += perRequest) {
    const res = await fetch(`${url}/webhook/alertmanager`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(alertGroup(names.slice(i, i + perRequest))),
    });
    expect(res.status).toBe(202);
    jobIds.push(...((await res.json()) as { jobs: Array<{ id: string }> }).jobs.map((job) => job.id));
  }
  return jobIds;
}
