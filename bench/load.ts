import autocannon from 'autocannon';
import type { BenchPayload } from './payloads';

export interface LoadFigures {
  /** 2xx answers per second, over the whole run. */
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /** Connection errors and timeouts, plus answers other than 202. */
  errors: number;
  /** 2xx answers. */
  acked: number;
}

export interface LoadPlan {
  url: string;
  payload: BenchPayload;
  connections: number;
  durationS: number;
  /** Numbers bodies from here, so a warm-up and the run never post the same alert twice. */
  firstBody: number;
  /** Offer this many requests a second in all instead of as many as the server answers. */
  ratePerS?: number;
}

/** Drives `connections` keep-alive connections as fast as the server answers (or at `ratePerS`), every request a new alert. */
export async function runLoad(plan: LoadPlan): Promise<LoadFigures> {
  let n = plan.firstBody;
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.durationS,
    ...(plan.ratePerS !== undefined && { overallRate: plan.ratePerS }),
    requests: [
      {
        method: 'POST',
        path: plan.payload.path,
        headers: plan.payload.headers,
        setupRequest: (request) => ({ ...request, body: plan.payload.body((n += 1)) }),
      },
    ],
  });
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    // `errors` already counts timeouts.
    errors: result.errors + result.non2xx,
    acked: result['2xx'],
  };
}
