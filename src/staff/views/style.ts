/** The inbox's one stylesheet, served at /staff/style.css. Mobile first; visible focus. */
export const STYLE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f6f7f9; overflow-wrap: anywhere; }
a { color: #0b4f9c; }
a:hover { color: #083a73; }
:focus-visible { outline: 3px solid #e07b00; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
.top { background: #0b4f9c; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; }
.top a, .top .link { color: #fff; }
.brand { margin: 0; font-weight: 700; }
.brand a { text-decoration: none; }
.school { font-weight: 400; opacity: .9; }
.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
.top [aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.logout { margin: 0 0 0 auto; }
main { padding: 1rem; max-width: 60rem; margin: 0 auto; }
main:focus { outline: none; }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.notice, .error, .warn { padding: .75rem 1rem; border-radius: 6px; border-left: 6px solid; }
.notice { background: #e8f4ea; border-color: #2e7d32; }
.error { background: #fdecea; border-color: #c62828; }
.warn { background: #fff4e0; border-color: #e07b00; }
.meta { color: #555; font-size: .92rem; }
.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem; }
.card { background: #fff; border: 1px solid #d6dae0; border-radius: 8px; padding: .75rem 1rem; }
.card.urgent { border-left: 6px solid #c62828; }
.card h2, .card h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 999px; background: #e3e7ed; font-size: .85rem; }
.badge.urgent, .badge.late { background: #c62828; color: #fff; }
.thread { list-style: none; padding: 0; display: grid; gap: .5rem; }
.msg { background: #fff; border: 1px solid #d6dae0; border-radius: 8px; padding: .5rem .75rem; max-width: 100%; }
.msg.inbound { border-left: 6px solid #0b4f9c; }
.msg.outbound { background: #f0f5fb; }
.msg .text, .sms { white-space: pre-wrap; margin: .25rem 0; }
.sms { background: #fff; border: 1px dashed #888; border-radius: 8px; padding: .5rem .75rem; }
form { margin: .5rem 0; }
fieldset { border: 1px solid #d6dae0; border-radius: 8px; padding: .5rem 1rem; margin: .75rem 0; background: #fff; }
legend { font-weight: 700; padding: 0 .25rem; }
label { display: block; margin: .25rem 0; }
.choice { display: flex; gap: .5rem; align-items: flex-start; padding: .25rem 0; }
.choice input { margin-top: .35rem; flex: none; }
input[type="text"], input[type="email"], input[type="password"], input[type="date"], select, textarea {
  font: inherit; width: 100%; max-width: 32rem; padding: .5rem; border: 1px solid #767676; border-radius: 4px; background: #fff; }
textarea { min-height: 7rem; }
button { font: inherit; cursor: pointer; padding: .5rem 1rem; border-radius: 4px; border: 2px solid #0b4f9c; background: #0b4f9c; color: #fff; min-height: 44px; }
button.secondary { background: #fff; color: #0b4f9c; }
button.link { background: none; border: none; padding: 0; min-height: 0; text-decoration: underline; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-end; }
.actions form { margin: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; }
@media (min-width: 48rem) { body { font-size: 17px; } main { padding: 1.5rem; } }
`;
