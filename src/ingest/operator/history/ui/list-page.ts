import type { HistoryPage } from '../../../../history/reader';
import { OUTCOMES, type EventRecord } from '../../../../history/record';
import { SEVERITIES } from '../../../../normalize/event';
import { html, type SafeHtml } from './html';

const FILTERS = {
  source: ['sentry', 'alertmanager', 'test'],
  status: ['firing', 'resolved'],
  severity: SEVERITIES,
  outcome: OUTCOMES,
} as const;

/** The list of recent alerts with the filters of GET /events and a link to the next (older) page. */
export function listPage(query: Record<string, string>, channels: readonly string[], result: HistoryPage | { error: string }): SafeHtml {
  const select = (name: string, values: readonly string[]) => html`<label>${name}<select name="${name}"><option value="">any</option>${values.map(
    (value) => html`<option${query[name] === value ? html` selected` : ''}>${value}</option>`,
  )}</select></label>`;
  const text = (name: string, label: string, placeholder: string) =>
    html`<label>${label}<input name="${name}" value="${query[name] ?? ''}" placeholder="${placeholder}" size="14"></label>`;
  const form = html`<form class="filters" method="get" action="/ui">
${select('source', FILTERS.source)}${select('status', FILTERS.status)}${select('severity', FILTERS.severity)}${select('channel', channels)}${select('outcome', FILTERS.outcome)}
${text('q', 'text', 'in title or message')}${text('project', 'project', '')}${text('environment', 'environment', '')}${text('since', 'since', '1h or ISO time')}${text('until', 'until', 'ISO time')}
<button type="submit">Filter</button><a href="/ui">clear</a></form>`;
  if ('error' in result) return html`<h1>Alerts</h1>${form}<div class="error" role="alert">${result.error}</div>`;
  const next = result.next ? `/ui?${new URLSearchParams({ ...withoutCursor(query), cursor: result.next }).toString()}` : undefined;
  return html`<h1>Alerts</h1>${form}
${result.events.length === 0 ? html`<p class="note">No alert recorded${Object.keys(query).length > 0 ? ' matches these filters' : ' yet'}.</p>` : html`<table id="events">
<thead><tr><th>received</th><th>source</th><th>severity</th><th>status</th><th>title</th><th>project / env</th><th>deliveries</th></tr></thead>
<tbody>${result.events.map(row)}</tbody></table>`}
<div class="pager">${query.cursor ? html`<a href="/ui?${new URLSearchParams(withoutCursor(query)).toString()}">« newest</a>` : ''}${next ? html`<a id="older" href="${next}">older »</a>` : ''}</div>`;
}

function row(event: EventRecord): SafeHtml {
  return html`<tr data-id="${event.id}"><td><time datetime="${event.receivedAt}">${event.receivedAt.replace('T', ' ').slice(0, 19)}</time></td>
<td>${event.source}</td><td class="s-${event.severity}">${event.severity}</td><td>${event.status}</td>
<td class="title"><a href="/ui/events/${event.id}">${event.title}</a></td><td>${[event.project, event.environment].filter(Boolean).join(' / ')}</td>
<td>${event.deliveries.map((d) => html`<span class="badge o-${d.outcome}" title="${d.error ?? ''}">${d.channel}: ${d.outcome}</span>`)}</td></tr>`;
}

function withoutCursor(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([key, value]) => key !== 'cursor' && value !== ''));
}
