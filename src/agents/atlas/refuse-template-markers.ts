import { describeTemplateMarker, findTemplateMarkerIn } from '../../util/find-template-marker.js';
import type { AtlasOutcome, Draft } from './atlas-types.js';

type Blocked = Extract<AtlasOutcome, { kind: 'blocked' }>;

/** What a param path means to the person: "the TXT value of inj.local", "the dns-record zone". */
function describePath(draft: Draft, path: string): string {
  if (draft.blueprint === 'dns-record' && path === 'value') {
    const p = draft.params as { zone: string; name: string; type: string };
    return `the ${p.type} value of ${p.name === '@' ? p.zone : `${p.name}.${p.zone}`}`;
  }
  return `the ${draft.blueprint} parameter ${path}`;
}

/**
 * Blocks a draft whose params carry a template marker (from the goal or the language model)
 * before any runner sees it: the plan ends BLOCKED with the reason.
 */
export function refuseTemplateMarkers(draft: Draft): Blocked | undefined {
  const found = findTemplateMarkerIn(draft.params);
  if (!found) return undefined;
  const reason = describeTemplateMarker(describePath(draft, found.path), found.marker);
  return { kind: 'blocked', reason, rationale: [...draft.notes, reason] };
}
