import { z } from 'zod';
import { SEVERITIES } from '../normalize/event';
import { regexProblem } from './match-value';
import { routePolicyFields } from '../policy/config';

/** A match value: exact string, "=~regex" (anchored, like Alertmanager), or a list of either. */
const matchString = z.string().superRefine((spec, ctx) => {
  const problem = regexProblem(spec);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const matchValue = z.union([matchString, z.array(matchString).nonempty()]);

/** The route stage's slice of config: which events go to which channels. */
export const routeSchema = z
  .object({
    match: z
      .object({
        source: matchValue.optional(),
        severity: matchValue.optional(),
        project: matchValue.optional(),
        environment: matchValue.optional(),
        status: matchValue.optional(),
        labels: z.record(z.string(), matchValue).optional(),
      })
      .strict()
      .default({}),
    channels: z.array(z.string()).nonempty(),
    // Digests and quiet hours (README, "Notification policy").
    ...routePolicyFields,
  })
  .strict();

export type RouteConfig = z.output<typeof routeSchema>;

/**
 * Severity values that are not regexes must be one of the event's severities. Checked after the
 * whole config parsed, beside the check that routes name existing channels, so both are reported.
 */
export function severityProblems(route: Pick<RouteConfig, 'match'>): string[] {
  const severities = route.match.severity;
  return (typeof severities === 'string' ? [severities] : (severities ?? []))
    .filter((value) => !value.startsWith('=~') && !(SEVERITIES as readonly string[]).includes(value))
    .map((value) => `"${value}" is not one of ${SEVERITIES.join(', ')}`);
}
