/**
 * `/docs`: the OpenAPI document rendered as one self-contained HTML page - no CDN, no external
 * downloads (the page must work on an offline machine and under a strict CSP). The spec is
 * embedded as JSON in the page (with `<` escaped so it cannot close the script element); a
 * small inline script renders it: operations grouped by tag, each with its parameters,
 * request body types and responses, and the raw schema of any body on demand. The CSP allows
 * only that script (by its SHA-256) and the inline style.
 */
import { createHash } from 'node:crypto';

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#12324a;color:#fff;padding:1rem 1.5rem}header h1{margin:0;font-size:1.4rem}
header p{margin:.3rem 0 0;opacity:.85;max-width:60rem}main{padding:1rem 1.5rem;max-width:70rem}
h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
details{background:#fff;border:1px solid #ddd;border-radius:6px;margin:.4rem 0}
summary{cursor:pointer;padding:.5rem .7rem;display:flex;gap:.7rem;align-items:baseline;flex-wrap:wrap}
.m{font:bold 12px monospace;padding:.15rem .45rem;border-radius:4px;color:#fff;min-width:3.5rem;text-align:center}
.get{background:#2e7d32}.post{background:#1565c0}.delete{background:#c62828}.put{background:#6a1b9a}
code,.p{font-family:ui-monospace,monospace}.p{font-weight:600;word-break:break-all}.s{color:#555}
.body{padding:.3rem 1rem 1rem;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%;font-size:14px;display:block;overflow-x:auto}
td,th{border-bottom:1px solid #eee;text-align:left;padding:.25rem .4rem;vertical-align:top}
pre{background:#f3f3f3;padding:.6rem;overflow:auto;font-size:12px;max-height:24rem}
a{color:#1565c0}:focus-visible{outline:3px solid #f9a825}
`;

// The renderer: plain DOM building (textContent only, never innerHTML with spec text).
const SCRIPT = `
(function(){
var spec=JSON.parse(document.getElementById('spec').textContent);
var main=document.querySelector('main');
function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!=null)e.textContent=x;return e}
document.getElementById('title').textContent=spec.info.title+' '+spec.info.version;
document.getElementById('desc').textContent=spec.info.description||'';
function deref(s){if(s&&s.$ref){var n=s.$ref.split('/').pop();return spec.components.schemas[n]||s}return s}
function ty(s){s=deref(s)||{};if(s.type)return Array.isArray(s.type)?s.type.join('|'):s.type;if(s.oneOf)return s.oneOf.map(ty).join(' | ');return 'any'}
var groups={};
Object.keys(spec.paths).forEach(function(p){var item=spec.paths[p];Object.keys(item).forEach(function(m){var op=item[m];var tag=(op.tags&&op.tags[0])||'other';(groups[tag]=groups[tag]||[]).push([m,p,op])})});
var order=(spec.tags||[]).map(function(t){return t.name});Object.keys(groups).forEach(function(g){if(order.indexOf(g)<0)order.push(g)});
order.forEach(function(tag){if(!groups[tag])return;var t=(spec.tags||[]).filter(function(x){return x.name===tag})[0];
var h=el('h2',null,tag);h.id='tag-'+tag;main.appendChild(h);if(t&&t.description)main.appendChild(el('p','s',t.description));
groups[tag].forEach(function(g){var m=g[0],p=g[1],op=g[2];var d=el('details');var s=el('summary');
s.appendChild(el('span','m '+m,m.toUpperCase()));s.appendChild(el('span','p',p));s.appendChild(el('span','s',op.summary||''));d.appendChild(s);
var b=el('div','body');if(op.description)b.appendChild(el('p',null,op.description));
if(op.security&&op.security.length)b.appendChild(el('p','s','Needs an API key when the server has keys configured (X-API-Key or Authorization: Bearer).'));
if(op.parameters&&op.parameters.length){b.appendChild(el('h4',null,'Parameters'));var tb=el('table');var hr=el('tr');['name','in','type','description'].forEach(function(x){hr.appendChild(el('th',null,x))});tb.appendChild(hr);
op.parameters.forEach(function(q){var r=el('tr');r.appendChild(el('td','p',q.name+(q.required?' *':'')));r.appendChild(el('td',null,q.in));var sc=q.schema||{};r.appendChild(el('td',null,ty(sc)+(sc['default']!==undefined?' = '+JSON.stringify(sc['default']):'')));r.appendChild(el('td',null,q.description||''));tb.appendChild(r)});b.appendChild(tb)}
if(op.requestBody){b.appendChild(el('h4',null,'Request body'));if(op.requestBody.description)b.appendChild(el('p',null,op.requestBody.description));
Object.keys(op.requestBody.content||{}).forEach(function(ct){var dd=el('details');dd.appendChild(el('summary','p',ct));dd.appendChild(el('pre',null,JSON.stringify(deref(op.requestBody.content[ct].schema),null,2)));b.appendChild(dd)})}
b.appendChild(el('h4',null,'Responses'));var rt=el('table');Object.keys(op.responses||{}).forEach(function(code){var r=op.responses[code];var tr=el('tr');tr.appendChild(el('td','p',code));tr.appendChild(el('td',null,r.description||''));tr.appendChild(el('td','s',Object.keys(r.content||{}).join(', ')));rt.appendChild(tr)});b.appendChild(rt);
d.appendChild(b);main.appendChild(d)})});
var raw=el('p');var a=el('a',null,'openapi.json');a.href='openapi.json';raw.appendChild(el('span',null,'The raw document: '));raw.appendChild(a);main.appendChild(raw);
})();
`;

/** The docs page for `spec`, and the Content-Security-Policy that lets only its own script run. */
export function docsPage(spec: unknown): { html: string; csp: string } {
  const embedded = JSON.stringify(spec).replace(/</g, '\\u003c');
  const hash = createHash('sha256').update(SCRIPT).digest('base64');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>iscc-ts API</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><header><h1 id="title">iscc-ts API</h1><p id="desc"></p></header>
<main><noscript><p>This page renders the OpenAPI document with a small inline script; without scripts, read <a href="openapi.json">openapi.json</a>.</p></noscript></main>
<script type="application/json" id="spec">${embedded}</script>
<script>${SCRIPT}</script>
</body></html>
`;
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return { html, csp };
}
