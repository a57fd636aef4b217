import { html, SafeHtml } from './html';

/** Everything the page needs is inline: no CDN, no external font, works offline. */
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2430;background:#f5f6f8}
header{background:#1d2430;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}header a{color:#cfe0ff;text-decoration:none}header strong{font-size:16px;margin-right:10px}
main{padding:16px 20px;max-width:1400px}h1{font-size:20px;margin:4px 0 12px}h2{font-size:16px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e7}th,td{padding:6px 8px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}th{background:#f0f2f5;font-weight:600}
td.title{max-width:520px;word-break:break-word}a{color:#1a5fd0}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;background:#fff;padding:10px;border:1px solid #dde1e7;margin-bottom:12px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#555}input,select,textarea,button{font:inherit;padding:4px 6px}
button{cursor:pointer;background:#1a5fd0;color:#fff;border:0;border-radius:4px;padding:5px 12px}button.secondary{background:#667}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;margin:1px 2px;background:#e4e7ec;white-space:nowrap}
.o-sent,.o-edited{background:#d3f2dc;color:#13542a}.o-failed{background:#fbd5d5;color:#7c1313}.o-retrying{background:#fde8c4;color:#6b4100}
.o-pending{background:#e4e7ec}.o-suppressed,.o-digested,.o-muted{background:#e6e0f7;color:#3f2d7a}
.s-critical{color:#a00;font-weight:600}.s-error{color:#c33}.s-warning{color:#a66b00}.s-info{color:#357}
.error{background:#fde2e2;border:1px solid #f3b3b3;padding:8px 12px;margin:8px 0}.note{color:#666}
pre{background:#fff;border:1px solid #dde1e7;padding:10px;white-space:pre-wrap;word-break:break-word;max-height:420px;overflow:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:#fff;border:1px solid #dde1e7;padding:10px}dt{color:#555}dd{margin:0;word-break:break-word}
.pager{margin:10px 0;display:flex;gap:16px}.over{color:#a00;font-weight:600}.ok{color:#13542a}
`;

/** The page shell; `script` is the page's own code (never alert text), allowed by the response's CSP nonce. */
export function page(title: string, nonce: string, body: SafeHtml, script?: string): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · notification-gateway</title><style nonce="${nonce}">${new SafeHtml(STYLE)}</style></head>
<body><header><strong>notification-gateway</strong><a href="/ui">Alerts</a><a href="/ui/preview">Template preview</a><a href="/config">Config</a><a href="/metrics">Metrics</a></header>
<main>${body}</main>${script ? html`<script nonce="${nonce}">${new SafeHtml(script)}</script>` : ''}</body></html>`;
}
