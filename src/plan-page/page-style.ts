/** The page's only style sheet: inline, so the page needs no other request (the CSP allows nothing else). */
export const PAGE_STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#1d1d1f}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f6f6f6;font-weight:600}code,.mono{font-family:ui-monospace,monospace;font-size:12.5px;word-break:break-all}
.goal{font-size:16px;background:#f6f8fa;border-left:4px solid #0969da;padding:8px 12px;white-space:pre-wrap}
.state{display:inline-block;padding:1px 8px;border-radius:10px;background:#eee;font-weight:600}
.CRITICAL,.HIGH,.delete{color:#b3261e;font-weight:600}.MEDIUM,.update{color:#9a6700}.create{color:#1a7f37}
.muted{color:#666}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dt{color:#666}dd{margin:0}
td.when{white-space:nowrap;word-break:normal}
pre{white-space:pre-wrap;background:#f6f8fa;padding:8px}
`;
