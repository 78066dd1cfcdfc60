/**
 * The dashboard's one stylesheet, inlined in a nonce'd `<style>` (the Content-Security-Policy
 * allows nothing else). Text colours meet WCAG 2.2 AA contrast (4.5:1) on their backgrounds.
 */
export const DASHBOARD_STYLES = `
:root { color-scheme: light; --ink: #1c2330; --muted: #5d6b7e; --line: #e3e8ef; --bg: #f6f8fb;
  --card: #fff; --control: #7d8896; --accent: #3867d6; --good: #137333; --warn: #8a5300; --poor: #c5221f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
header { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; padding: 14px 24px;
  background: var(--card); border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0 auto 0 0; } h1 span { color: var(--muted); font-weight: 400; }
h2 { font-size: 14px; margin: 0 0 10px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h2 small { text-transform: none; letter-spacing: 0; font-weight: 400; }
main { padding: 20px 24px 32px; max-width: 1280px; margin: 0 auto; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 16px; min-width: 0; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.grid2 > section { margin-bottom: 16px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; background: none; border: 0; padding: 0; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 12px; } .tile .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
.num { display: block; text-align: right; } th.num { display: table-cell; }
.message { display: block; max-width: 420px; overflow-wrap: anywhere; }
.variants { list-style: none; margin: 0; padding: 0; } .variants li { white-space: nowrap; }
.chips { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.chips code { background: #eef2f8; border-radius: 4px; padding: 2px 6px; }
.variants span { font: 12px ui-monospace, monospace; background: #eef2f8; border-radius: 4px; padding: 1px 5px; }
.empty { color: var(--muted); margin: 0; }
.chart { width: 100%; height: auto; display: block; }
.chart .bar, .meter .bar { fill: var(--accent); } .chart .grid { stroke: var(--line); }
.chart .axis { fill: var(--muted); font-size: 11px; }
.meter { width: 120px; height: 8px; display: block; margin-top: 6px; } .meter-track { fill: #eef2f8; }
.rating { border-radius: 10px; padding: 1px 8px; font-size: 12px; white-space: nowrap; }
.rating.good { background: #e6f4ea; color: var(--good); }
.rating.needs-improvement { background: #fef3e0; color: var(--warn); }
.rating.poor { background: #fce8e6; color: var(--poor); }
.cohorts td, .cohorts th { text-align: center; } .cohorts td:first-child, .cohorts th:first-child { text-align: left; }
.heat.h0 { background: #f3f6fb; } .heat.h1 { background: #dbe5f7; } .heat.h2 { background: #bcd0f2; }
.heat.h3 { background: #94b3ea; } .heat.h4 { background: #6a93df; } .heat.h5 { background: #3867d6; color: #fff; }
form.filters { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
input, button, select { font: inherit; }
input[type=date], select { padding: 4px 6px; border: 1px solid var(--control); border-radius: 6px; background: var(--card); color: var(--ink); }
select { max-width: 240px; }
button { padding: 5px 12px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.quiet { background: none; color: var(--accent); }
footer { color: var(--muted); font-size: 12px; }
.sign-in { max-width: 360px; margin: 12vh auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
.sign-in form { display: grid; gap: 10px; margin-top: 16px; }
.sign-in input { padding: 8px; border: 1px solid var(--line); border-radius: 6px; }
.error { color: var(--poor); margin: 0; }
.scope { margin: 0 0 16px; color: var(--muted); } .note { margin: 0 0 12px; color: var(--muted); font-size: 12px; }
.adoption + .adoption { border-top: 1px solid var(--line); margin-top: 16px; padding-top: 16px; }
.adoption h3 { font-size: 14px; margin: 0 0 8px; }
.adoption-body { display: grid; grid-template-columns: minmax(0, 640px) minmax(200px, 1fr); gap: 16px; align-items: center; }
.share { margin: 0; } .share strong { display: block; font-size: 24px; font-variant-numeric: tabular-nums; }
.chart .seg { stroke: var(--card); stroke-width: 1; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; padding: 0; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.s0 { fill: #3867d6; background: #3867d6; } .s1 { fill: #e8710a; background: #e8710a; }
.s2 { fill: #188038; background: #188038; } .s3 { fill: #9334e6; background: #9334e6; }
.s4 { fill: #00838f; background: #00838f; } .s5 { fill: #80868b; background: #80868b; }
summary { cursor: pointer; color: var(--accent); margin-top: 8px; }
.download { margin: 8px 0 0; text-align: right; font-size: 12px; }
.download a { color: var(--accent); text-decoration: none; border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; display: inline-block; }
.download a:hover, .download a:focus-visible { border-color: var(--accent); text-decoration: underline; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
`;
