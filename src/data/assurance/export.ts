/**
 * Exports: an audit as XLSX (exceljs) and PDF (pdfmake), the preparedness plan as PDF.
 * Every rating is written as its word (Red, Amber, Green / Amber, Green), never as a
 * colour alone; the PDF uses the standard Helvetica fonts (nothing fetched or read from disk).
 */
import ExcelJS from 'exceljs';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { APPENDIX3_STEP_HEADINGS } from '../../domain/ldis/appendix3';
import { formatMeasure, MEASURES, RAG_DEFINITIONS, type RagRating } from '../../domain/assurance';
import type { AuditDetail } from './audits';
import type { PlanView } from './plan';

const ragLabel = (r: RagRating | null) => (r ? RAG_DEFINITIONS[r].label : 'Not rated');
const changeLabel: Record<string, string> = {
  improved: 'Improved',
  worsened: 'Worsened',
  unchanged: 'No change',
  newly_rated: 'Newly rated',
  no_longer_rated: 'No longer rated',
  not_rated: 'Not rated',
};
const ARGB: Record<RagRating, string> = { red: 'FFF4C7C3', amber: 'FFFFE0B2', green_amber: 'FFFFF3B0', green: 'FFCDE8D4' };

export async function auditXlsx(a: AuditDetail): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Beacon';
  const ws = wb.addWorksheet('Self-audit', { views: [{ state: 'frozen', ySplit: 5 }] });
  ws.addRow([a.title]).font = { bold: true, size: 14 };
  ws.addRow([`${a.template_name} — round ${a.round}, measures on ${a.as_of} (${a.status === 'completed' ? `completed ${a.completed_at?.slice(0, 10) ?? ''} by ${a.completed_by ?? ''}` : 'draft: measures live'})`]);
  ws.addRow([`Source: ${a.source}`]);
  ws.addRow([a.previous ? `Changes are against round ${a.round - 1}: ${a.previous.title} (${a.previous.as_of})` : 'First round: no earlier round to compare with']);
  const header = ws.addRow(['Section', 'Item', 'Lead agencies / individuals', 'RAG status', 'Change since last round', 'Measures in Beacon', 'Issues / comments', 'Actions (owner, due, status)', 'Evidence']);
  header.font = { bold: true };
  for (const s of a.sections) {
    for (const i of s.items) {
      const row = ws.addRow([
        s.title,
        i.text,
        i.lead ?? '',
        ragLabel(i.rating),
        i.change ? changeLabel[i.change.rating.change] : '',
        i.measures.map((m) => `${MEASURES[m.key].label}: ${formatMeasure(m)}`).join('\n'),
        i.comments,
        i.actions.map((x) => `${x.text} (${x.owner ?? 'no owner'}, due ${x.due ?? '–'}, ${x.status})`).join('\n'),
        i.evidence.map((e) => `${e.label}: ${e.url}`).join('\n'),
      ]);
      row.alignment = { wrapText: true, vertical: 'top' };
      if (i.rating) row.getCell(4).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: ARGB[i.rating] } };
    }
  }
  [18, 60, 30, 14, 18, 40, 50, 45, 40].forEach((w, idx) => (ws.getColumn(idx + 1).width = w));
  const key = wb.addWorksheet('RAG definitions');
  key.addRow(['Status', 'Definition']).font = { bold: true };
  for (const d of Object.values(RAG_DEFINITIONS)) key.addRow([d.label, d.definition]);
  key.getColumn(2).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let fontsReady = false;
function pdfBuffer(doc: TDocumentDefinitions): Promise<Buffer> {
  if (!fontsReady) {
    pdfmake.setFonts({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } });
    // The documents name no images or files: nothing may be fetched or read.
    pdfmake.setUrlAccessPolicy(() => false);
    fontsReady = true;
  }
  return pdfmake.createPdf({ ...doc, defaultStyle: { font: 'Helvetica', fontSize: 9 }, styles: { h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 6] }, h2: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] }, small: { fontSize: 8, color: '#4c6272' } } }).getBuffer();
}

export function auditPdf(a: AuditDetail): Promise<Buffer> {
  const content: Content[] = [
    { text: a.title, style: 'h1' },
    { text: `${a.template_name} — round ${a.round}; measures on ${a.as_of}; ${a.status === 'completed' ? `completed ${a.completed_at?.slice(0, 10) ?? ''} by ${a.completed_by ?? ''}` : 'draft'}` },
    { text: `Source: ${a.source}`, style: 'small' },
    {
      text: `Red ${a.counts.red} · Amber ${a.counts.amber} · Green / Amber ${a.counts.green_amber} · Green ${a.counts.green} · Not rated ${a.counts.not_rated}` +
        (a.changes ? ` — since the last round: ${a.changes.improved} improved, ${a.changes.worsened} worsened, ${a.changes.newly_rated} newly rated` : ''),
      margin: [0, 4, 0, 0],
    },
  ];
  for (const s of a.sections) {
    content.push({ text: s.title, style: 'h2' });
    const body: Content[][] = [[{ text: 'Item', bold: true }, { text: 'Lead', bold: true }, { text: 'RAG status', bold: true }, { text: 'Measures, issues, actions, evidence', bold: true }]];
    for (const i of s.items) {
      const notes: string[] = [];
      for (const m of i.measures) notes.push(`${MEASURES[m.key].label}: ${formatMeasure(m)}`);
      if (i.comments) notes.push(i.comments);
      for (const x of i.actions) notes.push(`Action: ${x.text} (${x.owner ?? 'no owner'}, due ${x.due ?? '–'}, ${x.status})`);
      for (const e of i.evidence) notes.push(`Evidence: ${e.label} ${e.url}`);
      body.push([
        i.text,
        i.lead ?? '',
        { text: `${ragLabel(i.rating)}${i.change && i.change.rating.change !== 'unchanged' && i.change.rating.change !== 'not_rated' ? `\n(${changeLabel[i.change.rating.change]})` : ''}`, bold: true },
        notes.join('\n'),
      ]);
    }
    content.push({ table: { headerRows: 1, widths: ['34%', '18%', '12%', '36%'], body, dontBreakRows: true }, layout: 'lightHorizontalLines' });
  }
  content.push({ text: 'RAG definitions', style: 'h2' });
  for (const d of Object.values(RAG_DEFINITIONS)) content.push({ text: [{ text: `${d.label}: `, bold: true }, d.definition] });
  return pdfBuffer({ pageOrientation: 'landscape', pageSize: 'A4', info: { title: a.title }, content, footer: (page, pages) => ({ text: `${a.title} — page ${page} of ${pages}`, style: 'small', margin: [40, 10] }) });
}

export function planPdf(p: PlanView): Promise<Buffer> {
  const c = p.content;
  const partner = (id: number) => {
    const x = p.partners.find((q) => q.id === id);
    return x ? `${x.organisation}${x.contact_name ? ` — ${x.contact_name}` : ''}${x.contact_role ? `, ${x.contact_role}` : ''}${x.email ? ` (${x.email})` : ''}` : `Partner ${id} (no longer in the directory)`;
  };
  const contact = (k: { name: string; role: string; organisation: string; email: string; phone: string }) =>
    k.name ? [k.name, k.role, k.organisation, k.email, k.phone].filter((v) => v).join(', ') : 'Not named';
  const content: Content[] = [
    { text: c.title, style: 'h1' },
    { text: `${c.area ? `${c.area} — ` : ''}version ${p.version}, ${p.changed_at.slice(0, 10)} by ${p.changed_by}` },
    { text: '1. Coordination', style: 'h2' },
    { text: [{ text: 'Coordinator: ', bold: true }, contact(c.coordinator)] },
    { text: [{ text: 'Chair of incident response meetings: ', bold: true }, contact(c.chair)] },
    { text: 'Invited to the incident response group', bold: true, margin: [0, 4, 0, 0] },
    c.invitees.length ? { ul: c.invitees.map(partner) } : { text: 'Nobody yet' },
    { text: 'Triggers (from the early-warning configuration)', bold: true, margin: [0, 4, 0, 0] },
    { text: `Source: ${p.triggers.source}`, style: 'small' },
    { ul: [...p.triggers.countTriggers.map((t) => `${t.indicatorLabel}: ${t.description}`), ...p.triggers.exceedance.map((e) => `${e.indicatorLabel}: statistical exceedance over the baseline (${e.method})`)].concat(p.triggers.countTriggers.length + p.triggers.exceedance.length ? [] : ['None configured']) },
    { text: 'Steps', bold: true, margin: [0, 4, 0, 0] },
    { ul: p.triggers.stepRules.map((r) => `Step ${r.step}: ${r.text}`) },
    ...(c.triggerNote ? [{ text: c.triggerNote } as Content] : []),
    { text: 'Escalation: Local Resilience Forum', bold: true, margin: [0, 4, 0, 0] },
    { text: c.escalation.lrfName || 'Not named' },
    ...(c.escalation.contacts.length ? [{ ul: c.escalation.contacts.map(contact) } as Content] : []),
    ...(c.escalation.guidance ? [{ text: c.escalation.guidance } as Content] : []),
    { text: 'Circulation', bold: true, margin: [0, 4, 0, 0] },
    c.circulation.length ? { ul: c.circulation.map(partner) } : { text: 'Not circulated yet' },
    { text: '4. Comms audiences', style: 'h2' },
    { ul: c.commsAudiences },
    { text: '5. Operational response: activities by agency and step', style: 'h2' },
  ];
  const agencies = [...new Set(c.activities.map((a) => a.agency))];
  const body: Content[][] = [[{ text: 'Agency', bold: true }, ...([1, 2, 3] as const).map((s) => ({ text: APPENDIX3_STEP_HEADINGS[s], bold: true }))]];
  for (const ag of agencies) {
    body.push([
      { text: ag, bold: true },
      ...([1, 2, 3] as const).map((s): Content => {
        const acts = c.activities.filter((a) => a.agency === ag && a.step === s).flatMap((a) => a.activities);
        return acts.length ? { stack: acts.map((x): Content => (x.items?.length ? { stack: [x.text, { ul: x.items }] } : { text: x.text, margin: [0, 0, 0, 3] })) } : '';
      }),
    ]);
  }
  content.push({ table: { headerRows: 1, widths: ['16%', '28%', '28%', '28%'], body }, layout: 'lightHorizontalLines' });
  if (p.gaps.length) {
    content.push({ text: 'Gaps', style: 'h2' }, { ul: p.gaps });
  }
  return pdfBuffer({ pageOrientation: 'landscape', pageSize: 'A4', info: { title: c.title }, content, footer: (page, pages) => ({ text: `${c.title} — version ${p.version} — page ${page} of ${pages}`, style: 'small', margin: [40, 10] }) });
}
