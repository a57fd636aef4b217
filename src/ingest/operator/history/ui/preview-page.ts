import { html, type SafeHtml } from './html';
import type { PreviewRequest, PreviewResult } from './preview';

/** The template preview form and, after a POST, each channel's rendered message with its size. */
export function previewPage(channels: readonly string[], request?: PreviewRequest, outcome?: { results: PreviewResult[]; events: number } | { error: string }): SafeHtml {
  const chosen = new Set(request?.channels ?? channels);
  const input = request?.input ?? 'sample:sentry';
  const radio = (value: string, label: string) => html`<label><input type="radio" name="input" value="${value}"${input === value ? html` checked` : ''}> ${label}</label> `;
  return html`<h1>Template preview</h1>
<p class="note">Renders a sample or a pasted webhook payload for the chosen channels, as the gateway would send it. Nothing is queued or sent.</p>
<form method="post" action="/ui/preview" id="preview-form">
<p>${radio('sample:sentry', 'Sentry sample')}${radio('sample:alertmanager', 'Alertmanager sample')}${radio('paste', 'pasted payload')}</p>
<p><label>pasted to <select name="source"><option value="sentry"${request?.source === 'sentry' ? html` selected` : ''}>/webhook/sentry</option><option value="alertmanager"${request?.source === 'alertmanager' ? html` selected` : ''}>/webhook/alertmanager</option></select></label>
<label> Sentry-Hook-Resource <input name="resource" value="${request?.resource ?? ''}" placeholder="event_alert, issue, …" size="14"></label></p>
<p><textarea name="payload" rows="8" cols="100" placeholder='{"action": "triggered", "data": {…}}'>${request?.payload ?? ''}</textarea></p>
<p>channels: ${channels.map((name) => html`<label><input type="checkbox" name="channel" value="${name}"${chosen.has(name) ? html` checked` : ''}> ${name}</label> `)}</p>
<p><button type="submit">Render</button></p></form>
${outcome ? results(outcome) : ''}`;
}

function results(outcome: { results: PreviewResult[]; events: number } | { error: string }): SafeHtml {
  if ('error' in outcome) return html`<div class="error" role="alert">${outcome.error}</div>`;
  if (outcome.results.length === 0) return html`<p class="note">No channel chosen.</p>`;
  return html`<h2>${outcome.events} alert(s), ${outcome.results.length} message(s)</h2>${outcome.results.map(
    (r) => html`<section class="preview" data-channel="${r.channel}"><h2>${r.channel} <span class="note">(${r.type})</span></h2>
${r.error ? html`<div class="error">template failed: ${r.error}</div>` : html`<p class="size ${r.limit && r.size > r.limit.max ? 'over' : 'ok'}">${r.size} ${r.limit ? `of ${r.limit.max} ${r.limit.unit}` : 'characters (no provider limit)'}${r.limit && r.size > r.limit.max ? ' — over the limit: the gateway cuts it when sending' : ''}</p>
<pre>${r.text}</pre>`}</section>`,
  )}`;
}
