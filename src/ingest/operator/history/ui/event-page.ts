import type { EventDetail } from '../../../../history/record';
import { html, type SafeHtml } from './html';

/** One alert: its fields, each channel's latest outcome (with a resend button when failed) and the timeline. */
export function eventPage(event: EventDetail): SafeHtml {
  const field = (name: string, value: unknown) => (value === null || value === undefined || value === '' ? '' : html`<dt>${name}</dt><dd>${value}</dd>`);
  const link = event.url ? html`<a href="${safeHref(event.url)}" rel="noreferrer noopener" target="_blank">${event.url}</a>` : undefined;
  return html`<p><a href="/ui">« all alerts</a></p>
<h1 id="title">${event.title}</h1>
<dl>${field('id', event.id)}${field('received', event.receivedAt)}${field('source', event.source)}${field('status', event.status)}${field('severity', event.severity)}
${field('project', event.project)}${field('environment', event.environment)}${field('release', event.release)}${field('culprit', event.culprit)}
${field('dedup key', event.dedupKey)}${field('occurred', event.occurredAt)}${link ? html`<dt>link</dt><dd>${link}</dd>` : ''}${field('message', event.message)}</dl>
<h2>Deliveries</h2>
<table id="deliveries"><thead><tr><th>channel</th><th>outcome</th><th>attempts</th><th>provider message id</th><th>provider's answer / reason</th><th>at</th><th></th></tr></thead>
<tbody>${event.deliveries.map((d) => html`<tr data-channel="${d.channel}"><td>${d.channel}</td><td><span class="badge o-${d.outcome}">${d.outcome}</span></td><td>${d.attempts}</td>
<td>${d.providerMessageId ?? ''}</td><td>${d.error ?? ''}</td><td>${d.at}</td>
<td>${d.outcome === 'failed' && d.jobId ? html`<button class="resend" data-channel="${d.channel}">Resend</button>` : ''}</td></tr>`)}</tbody></table>
<p id="resend-status" class="note" role="status"></p>
<h2>Timeline</h2>
<table id="timeline"><thead><tr><th>at</th><th>channel</th><th>step</th><th>attempt</th><th>details</th></tr></thead>
<tbody>${event.timeline.map((t) => html`<tr><td>${t.at}</td><td>${t.channel || '—'}</td><td><span class="badge o-${t.outcome}">${t.channel ? t.outcome : 'received'}</span></td>
<td>${t.attempt ?? ''}</td><td>${[t.detail, t.error, t.providerMessageId ? `message id ${t.providerMessageId}` : undefined].filter(Boolean).join(' — ')}</td></tr>`)}</tbody></table>`;
}

/** Only http(s) links become clickable: a javascript: URL in a payload must stay text. */
function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

/**
 * The resend button's code: a same-origin POST with a header no cross-site form can send, then the
 * page reloads until the delivery has left the queue again.
 */
export const EVENT_PAGE_SCRIPT = `
const status = document.getElementById('resend-status');
for (const button of document.querySelectorAll('button.resend')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Resending to ' + button.dataset.channel + '…';
    const answer = await fetch(location.pathname + '/resend', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gateway-UI': 'resend' }, body: JSON.stringify({ channel: button.dataset.channel }), credentials: 'same-origin' });
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) { status.textContent = (body.error && body.error.message) || ('resend failed: HTTP ' + answer.status); button.disabled = false; return; }
    location.replace(location.pathname + '?watch=' + encodeURIComponent(button.dataset.channel));
  });
}
const watched = new URLSearchParams(location.search).get('watch');
if (watched) {
  const row = [...document.querySelectorAll('#deliveries tr[data-channel]')].find((r) => r.dataset.channel === watched);
  const outcome = row && row.querySelector('.badge').textContent;
  if (outcome === 'retrying' || outcome === 'pending') { status.textContent = 'Resent; waiting for ' + watched + '…'; setTimeout(() => location.reload(), 1000); }
}
`;
