import { rollbackPreviewOf } from '../plan/describe-rollback.js';
import type { Finding, ResourceCost } from '../../contracts/index.js';
import { RULE_INFO } from '../agents/sentinel/rules/rule-catalog.js';
import type { PlanRecord } from '../plan/plan-record.js';
import { html, raw, type SafeHtml } from './escape-html.js';
import { PAGE_STYLE } from './page-style.js';
import type { PageChange, PlanPageView } from './read-plan-page.js';
import { renderValue } from './render-value.js';

/** No script, no outside resource: the page is text and one inline style sheet. */
export const PLAN_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const usd = (n: number) => `$${n.toFixed(2)}`;
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${usd(Math.abs(n))}`;

function provenance(plan: PlanRecord): SafeHtml {
  const s = plan.spec;
  const rows: Array<[string, unknown]> = [
    ['requested by', plan.requestedBy],
    ['requested at', plan.createdAt],
    ['updated at', plan.updatedAt],
    ['stack', plan.stack ?? s?.stack],
    ['target', s?.target ?? plan.target],
    ['blueprint', s?.blueprint],
    ['region', s?.region],
    ['goal parsed by', s?.parsedBy],
    ['budget', plan.budgetUsd !== undefined ? `${usd(plan.budgetUsd)}/month` : undefined],
    ['plan file sha256', plan.planSha256],
    ['approved by', plan.approvedBy],
    ['rejected by', plan.rejectedBy],
    ['approval expires', plan.expiresAt],
    ['stack version', plan.version],
    ['failure', plan.failure],
    ['blocked', plan.blocked?.reason],
  ];
  return html`<dl>
    ${rows
      .filter(([, v]) => v !== undefined && v !== '')
      .map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd class="${k === 'plan file sha256' ? 'mono' : ''}">${String(v)}</dd>`,
      )}
  </dl>`;
}

function timeline(view: PlanPageView): SafeHtml {
  if (view.timeline.length === 0) return html`<p class="muted">No transitions yet.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>at</th>
        <th>from</th>
        <th>to</th>
        <th>event</th>
        <th>by</th>
        <th>reason</th>
      </tr>
    </thead>
    <tbody>
      ${view.timeline.map(
        (t) =>
          html`<tr>
            <td class="mono when">${t.at}</td>
            <td>${t.from}</td>
            <td><b>${t.to}</b></td>
            <td>${t.event}</td>
            <td>${t.by}</td>
            <td>${t.reason}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function finding(f: Finding): SafeHtml {
  const info = RULE_INFO.get(f.ruleId);
  const refs = [...(f.refs?.checkov ?? []), ...(f.refs?.trivy ?? [])].join(', ');
  // Sentinel's message states the fix after the problem (e.g. "…: allow port 11434 only from the VPC CIDR").
  return html`<tr>
    <td class="${f.severity}">${f.severity}</td>
    <td><code>${f.ruleId}</code>${refs ? html`<br /><span class="muted">${refs}</span>` : ''}</td>
    <td class="mono">${f.address}</td>
    <td>
      ${info ? html`<b>${info.title}</b><br />` : ''}${f.message}${f.waived ? html`<br /><i>waived until ${f.waived.expires}: ${f.waived.reason}</i>` : ''}
    </td>
  </tr>`;
}

function findings(plan: PlanRecord): SafeHtml {
  const v = plan.validation;
  if (!v) return html`<p class="muted">Sentinel has not judged this plan yet.</p>`;
  const head = html`<p>Verdict <b>${v.verdict}</b> — ${v.findings.length} finding(s).</p>`;
  if (v.findings.length === 0) return head;
  return html`${head}
    <table>
      <thead>
        <tr>
          <th>severity</th>
          <th>rule</th>
          <th>resource</th>
          <th>finding and fix</th>
        </tr>
      </thead>
      <tbody>
        ${v.findings.map(finding)}
      </tbody>
    </table>`;
}

function costRow(r: ResourceCost): SafeHtml {
  const parts = r.components.map((c) => `${c.name}: ${c.quantity} ${c.unit} × ${usd(c.price)} = ${usd(c.monthly)}`);
  return html`<tr>
    <td class="mono">${r.address}</td>
    <td>${r.type}</td>
    <td>${usd(r.previousMonthlyUsd)}</td>
    <td>${usd(r.monthlyUsd)}</td>
    <td>${parts.join('; ')}</td>
  </tr>`;
}

function cost(plan: PlanRecord): SafeHtml {
  const c = plan.validation?.cost;
  if (!c) return html`<p class="muted">No cost estimate yet.</p>`;
  const b = plan.validation!.budget;
  return html`<p>
      <b>${usd(c.monthlyUsd)}/month</b> (was ${usd(c.previousMonthlyUsd)},
      ${signed(c.diffMonthlyUsd)})${
        b.monthlyUsd !== null
          ? html` — budget ${usd(b.monthlyUsd)}, forecast ${usd(b.forecastUsd)}${b.brake ? ' (brake)' : ''}`
          : ''
      }
    </p>
    <table>
      <thead>
        <tr>
          <th>resource</th>
          <th>type</th>
          <th>before</th>
          <th>after</th>
          <th>components</th>
        </tr>
      </thead>
      <tbody>
        ${c.resources.map(costRow)}
      </tbody>
    </table>
    ${
      c.unpriced.length
        ? html`<p>Not priced:</p>
            <ul>
              ${c.unpriced.map((u) => html`<li><code>${u.address}</code> (${u.type}): ${u.reason}</li>`)}
            </ul>`
        : ''
    }
    ${
      c.notes?.length
        ? html`<ul class="muted">
            ${c.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : ''
    }`;
}

function changes(plan: PlanRecord, rows: readonly PageChange[]): SafeHtml {
  const s = plan.summary;
  const head = s
    ? html`<p>
        ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy — ${rows.length}
        resource change(s) listed.
      </p>`
    : html`<p class="muted">No Terraform plan yet.</p>`;
  if (rows.length === 0) return head;
  return html`${head}
    <table id="changes">
      <thead>
        <tr>
          <th>#</th>
          <th>action</th>
          <th>address</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (c, i) =>
            html`<tr>
              <td class="muted">${i + 1}</td>
              <td class="${c.actions.includes('delete') ? 'delete' : c.actions[0]}">${c.actions.join('/')}</td>
              <td class="mono">${c.address}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function audit(view: PlanPageView): SafeHtml {
  if (view.audit.length === 0) return html`<p class="muted">No refused actions recorded.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>at</th>
        <th>who</th>
        <th>tried</th>
        <th>refused because</th>
      </tr>
    </thead>
    <tbody>
      ${view.audit.map(
        (a) =>
          html`<tr>
            <td class="mono when">${a.at}</td>
            <td>${a.by}</td>
            <td>${a.action}</td>
            <td>${a.refusal}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function rollbackPreview(plan: PlanRecord): SafeHtml | '' {
  // Only plans Sentinel has priced show this section.
  const preview = rollbackPreviewOf(plan);
  return preview === undefined
    ? ''
    : html`<h2>Rollback preview</h2>
        ${renderValue(preview)}`;
}

/** The whole plan as one HTML page: every value escaped, nothing cut. */
export function renderPlanPage(view: PlanPageView): string {
  const p = view.plan;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>Plan ${p.id} — infracrew</title>
        <style>
          ${raw(PAGE_STYLE)}
        </style>
      </head>
      <body>
        <h1>Plan <span class="mono">${p.id}</span> <span class="state">${p.state}</span></h1>
        <div class="goal" id="goal">${p.goal}</div>
        <h2>Provenance</h2>
        ${provenance(p)}
        ${
          p.reviewNote
            ? html`<h2>Review note</h2>
                <pre>${p.reviewNote}</pre>`
            : ''
        }
        <h2>Timeline</h2>
        ${timeline(view)}
        <h2>Findings</h2>
        ${findings(p)}
        <h2>Cost per resource</h2>
        ${cost(p)}
        <h2>Terraform changes</h2>
        ${changes(p, view.changes)} ${rollbackPreview(p)}
        ${
          p.rollback
            ? html`<h2>Rollback</h2>
                ${renderValue(p.rollback)}`
            : ''
        }
        <h2>Audit</h2>
        ${audit(view)}
        <p class="muted">Read-only. Approve or reject in Slack, with <code>crew approve</code>, or through the API.</p>
      </body>
    </html> `.text;
}
