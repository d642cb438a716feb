/**
 * Alerts and PIN reports as documents: e-mail (plain text and HTML), a print-quality PDF
 * (pdfmake, A4, Helvetica, charts drawn by ECharts on the server as SVG) and an XLSX
 * workbook (exceljs). Every renderer takes one tier's copy only, so a shared document can
 * never contain more than the shared copy.
 */
import { createRequire } from 'node:module';
import * as echarts from 'echarts';
import ExcelJS from 'exceljs';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { ALERT_KIND_LABELS, longDate, TIER_LABELS, type AlertKind, type PinReportBody, type ReportTable, type Tier, type TierCopy } from '../../domain/alerts';

// pdfmake is CommonJS; its types describe the module object.
const require = createRequire(import.meta.url);
const pdfmake = require('pdfmake') as typeof import('pdfmake');
pdfmake.setFonts({ Helvetica: { normal: 'Helvetica', bold: 'Helvetica-Bold', italics: 'Helvetica-Oblique', bolditalics: 'Helvetica-BoldOblique' } });
// Documents are built from Beacon's own data: no file or URL is ever fetched (the
// standard PDF fonts are names, not files, but go through the same policy).
const STANDARD_FONTS = new Set(['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique', 'Helvetica-BoldOblique']);
pdfmake.setLocalAccessPolicy((path) => STANDARD_FONTS.has(path));
pdfmake.setUrlAccessPolicy(() => false);

const NHS_BLUE = '#005eb8';
const TEXT = '#212b32';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface AlertMeta {
  kind: AlertKind;
  areaName: string;
  version: number;
  issuedAt: string;
  revisionNote: string | null;
}

function alertHeading(copy: TierCopy, meta: AlertMeta): string {
  return `${ALERT_KIND_LABELS[meta.kind]} — ${TIER_LABELS[copy.tier]} — version ${meta.version}, issued ${longDate(meta.issuedAt.slice(0, 10))}`;
}

/** The e-mail of one tier's copy of an alert. */
export function alertEmail(copy: TierCopy, meta: AlertMeta, listName: string): { subject: string; text: string; html: string } {
  const revised = meta.version > 1 ? ` (revised, version ${meta.version})` : '';
  const subject = `${ALERT_KIND_LABELS[meta.kind]}: ${copy.title}${revised}`;
  const lines: string[] = [alertHeading(copy, meta), '', copy.title, ''];
  if (meta.version > 1 && meta.revisionNote) lines.push(`What changed: ${meta.revisionNote}`, '');
  for (const s of copy.sections) lines.push(s.heading.toUpperCase(), s.text, '');
  if (copy.figures.length > 0) {
    lines.push('FIGURES');
    for (const f of copy.figures) lines.push(`${f.label}: ${f.display}`);
    lines.push('');
  }
  if (copy.actions.length > 0) {
    lines.push('ACTIONS BY AGENCY');
    for (const a of copy.actions) {
      lines.push(a.agency);
      for (const x of a.actions) lines.push(`  - ${x}`);
    }
    lines.push('');
  }
  lines.push(...copy.notes, '', `You receive this because you are on the "${listName}" distribution list of the local drug information system.`);
  const html = [
    `<p style="color:#4c6272">${escapeHtml(alertHeading(copy, meta))}</p>`,
    `<h1 style="color:${NHS_BLUE}">${escapeHtml(copy.title)}</h1>`,
    meta.version > 1 && meta.revisionNote ? `<p><strong>What changed:</strong> ${escapeHtml(meta.revisionNote)}</p>` : '',
    ...copy.sections.map((s) => `<h2>${escapeHtml(s.heading)}</h2><p>${escapeHtml(s.text)}</p>`),
    copy.figures.length > 0
      ? `<h2>Figures</h2><table border="1" cellpadding="4"><tbody>${copy.figures.map((f) => `<tr><th align="left">${escapeHtml(f.label)}</th><td>${escapeHtml(f.display)}</td></tr>`).join('')}</tbody></table>`
      : '',
    copy.actions.length > 0
      ? `<h2>Actions by agency</h2>${copy.actions.map((a) => `<h3>${escapeHtml(a.agency)}</h3><ul>${a.actions.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>`).join('')}`
      : '',
    ...copy.notes.map((n) => `<p><small>${escapeHtml(n)}</small></p>`),
    `<p><small>You receive this because you are on the “${escapeHtml(listName)}” distribution list of the local drug information system.</small></p>`,
  ].join('\n');
  return { subject, text: lines.join('\n'), html };
}

const PDF_STYLES: TDocumentDefinitions['styles'] = {
  title: { fontSize: 18, bold: true, color: NHS_BLUE, margin: [0, 0, 0, 6] },
  meta: { fontSize: 9, color: '#4c6272', margin: [0, 0, 0, 10] },
  h2: { fontSize: 13, bold: true, color: TEXT, margin: [0, 10, 0, 4] },
  h3: { fontSize: 11, bold: true, margin: [0, 6, 0, 2] },
  note: { fontSize: 8, color: '#4c6272', margin: [0, 4, 0, 0] },
  th: { bold: true, fillColor: '#e8edee' },
};

function docBase(title: string, content: Content[]): TDocumentDefinitions {
  return {
    info: { title, creator: 'Beacon', producer: 'Beacon' },
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 48],
    defaultStyle: { font: 'Helvetica', fontSize: 10, color: TEXT, lineHeight: 1.2 },
    styles: PDF_STYLES,
    footer: (page: number, pages: number) => ({ text: `${title} — page ${page} of ${pages}`, alignment: 'center', fontSize: 8, color: '#4c6272', margin: [0, 16, 0, 0] }),
    content,
  };
}

async function pdfBuffer(doc: TDocumentDefinitions, compress: boolean): Promise<Buffer> {
  return pdfmake.createPdf({ ...doc, compress }).getBuffer();
}

/** One tier's copy of an alert as a PDF. */
export async function alertPdf(copy: TierCopy, meta: AlertMeta, options: { compress?: boolean } = {}): Promise<Buffer> {
  const content: Content[] = [
    { text: copy.title, style: 'title' },
    { text: alertHeading(copy, meta), style: 'meta' },
  ];
  if (meta.version > 1 && meta.revisionNote) content.push({ text: [{ text: 'What changed: ', bold: true }, meta.revisionNote] });
  for (const s of copy.sections) content.push({ text: s.heading, style: 'h2' }, { text: s.text });
  if (copy.figures.length > 0) {
    content.push({ text: 'Figures', style: 'h2' });
    content.push({
      table: {
        headerRows: 1,
        widths: ['*', 60],
        body: [
          [{ text: 'Figure', style: 'th' }, { text: 'Count', style: 'th', alignment: 'right' as const }],
          ...copy.figures.map((f) => [{ text: f.label }, { text: f.display, alignment: 'right' as const }]),
        ],
      },
      layout: 'lightHorizontalLines',
    });
  }
  if (copy.actions.length > 0) {
    content.push({ text: 'Actions by agency', style: 'h2' });
    for (const a of copy.actions) content.push({ text: a.agency, style: 'h3' }, { ul: a.actions });
  }
  for (const n of copy.notes) content.push({ text: n, style: 'note' });
  return pdfBuffer(docBase(copy.title, content), options.compress ?? true);
}

// ---------------------------------------------------------------------------------------
// PIN report
// ---------------------------------------------------------------------------------------

/** The weekly trend as an SVG line chart (suppressed points are gaps). */
export function trendSvg(body: PinReportBody, width = 515, height = 230): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'Helvetica, Arial, sans-serif', color: TEXT },
    color: [NHS_BLUE, '#d5281b', '#007f3b'],
    legend: { top: 0, left: 0, textStyle: { fontSize: 10 } },
    grid: { left: 36, right: 12, top: 36, bottom: 40 },
    xAxis: { type: 'category', data: body.trend.labels.map((l) => l.replace(/^w\/e /, '').replace(/ \d{4}$/, '')), axisLabel: { fontSize: 9, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 9 } },
    series: body.trend.series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: 5 })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function pdfTable(t: ReportTable): Content[] {
  const header = [{ text: '', style: 'th' }, ...t.columns.map((c) => ({ text: c, style: 'th', alignment: 'right' as const }))];
  const body = [
    header,
    ...t.rows.map((r) => [{ text: r.label, bold: true }, ...r.cells.map((c) => ({ text: c, alignment: 'right' as const }))]),
    ...(t.total ? [[{ text: t.total.label, bold: true }, ...t.total.cells.map((c) => ({ text: c, bold: true, alignment: 'right' as const }))]] : []),
  ];
  const out: Content[] = [{ text: t.caption, style: 'h2' }];
  if (t.rows.length === 0) out.push({ text: 'None.' });
  else out.push({ table: { headerRows: 1, widths: ['auto', ...t.columns.map(() => '*')], body }, layout: 'lightHorizontalLines', fontSize: t.columns.length > 6 ? 7 : 9 });
  if (t.note) out.push({ text: t.note, style: 'note' });
  return out;
}

export function pinReportTitle(body: PinReportBody): string {
  return `${body.title} (${TIER_LABELS[body.tier]})`;
}

/** One tier's body of a PIN report as a PDF: summary, tables, the trend chart and its figures. */
export async function pinReportPdf(body: PinReportBody, options: { compress?: boolean; generatedAt?: string } = {}): Promise<Buffer> {
  const content: Content[] = [
    { text: body.title, style: 'title' },
    {
      text: `${TIER_LABELS[body.tier]} — ${body.cadence} report, ${longDate(body.period.start)} to ${longDate(body.period.end)}${options.generatedAt ? ` — made ${longDate(options.generatedAt.slice(0, 10))}` : ''}`,
      style: 'meta',
    },
    { text: 'Summary', style: 'h2' },
    { ul: body.summary },
  ];
  for (const t of body.tables) content.push(...pdfTable(t));
  content.push({ text: body.trend.caption, style: 'h2' }, { svg: trendSvg(body), width: 515 });
  content.push(
    ...pdfTable({
      id: 'trend-table',
      caption: 'The chart’s figures',
      columns: body.trend.series.map((s) => s.name),
      rows: body.trend.labels.map((l, i) => ({ label: l, cells: body.trend.series.map((s) => s.displays[i] ?? '') })),
      ...(body.trend.note ? { note: body.trend.note } : {}),
    }),
  );
  for (const n of body.notes) content.push({ text: n, style: 'note' });
  return pdfBuffer(docBase(pinReportTitle(body), content), options.compress ?? true);
}

/** One tier's body of a PIN report as an XLSX workbook (a sheet per table, the trend, notes). */
export async function pinReportXlsx(body: PinReportBody): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Beacon';
  wb.title = pinReportTitle(body);
  const summary = wb.addWorksheet('Summary');
  summary.addRow([body.title]).font = { bold: true, size: 14 };
  summary.addRow([`${TIER_LABELS[body.tier]}`]);
  summary.addRow(['Period', body.period.start, body.period.end]);
  summary.addRow(['Cadence', body.cadence]);
  summary.addRow([]);
  for (const s of body.summary) summary.addRow([s]);
  summary.addRow([]);
  for (const n of body.notes) summary.addRow([n]);
  summary.getColumn(1).width = 100;
  const numeric = (c: string): string | number => (/^\d+$/.test(c) ? Number(c) : c);
  const sheetNames: Record<string, string> = { submissions: 'Submissions', 'case-matches': 'Case definition', steps: 'Steps', alarms: 'Alarms', gaps: 'Data flow' };
  for (const t of body.tables) {
    const ws = wb.addWorksheet(sheetNames[t.id] ?? t.id.slice(0, 31));
    ws.addRow([t.caption]).font = { bold: true };
    const head = ws.addRow(['', ...t.columns]);
    head.font = { bold: true };
    for (const r of t.rows) ws.addRow([r.label, ...r.cells.map(numeric)]);
    if (t.total) ws.addRow([t.total.label, ...t.total.cells.map(numeric)]).font = { bold: true };
    if (t.note) ws.addRow([t.note]).font = { italic: true };
    ws.getColumn(1).width = 28;
    for (let i = 2; i <= t.columns.length + 1; i++) ws.getColumn(i).width = 18;
  }
  const trend = wb.addWorksheet('Trend');
  trend.addRow([body.trend.caption]).font = { bold: true };
  trend.addRow(['Week', ...body.trend.series.map((s) => s.name)]).font = { bold: true };
  body.trend.labels.forEach((l, i) => trend.addRow([l, ...body.trend.series.map((s) => numeric(s.displays[i] ?? ''))]));
  if (body.trend.note) trend.addRow([body.trend.note]).font = { italic: true };
  trend.getColumn(1).width = 24;
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out);
}

/** The e-mail of a PIN report (summary in the body; the PDF attached). */
export function pinReportEmail(body: PinReportBody, listName: string): { subject: string; text: string; html: string } {
  const subject = `${body.title}: ${longDate(body.period.start)} to ${longDate(body.period.end)}`;
  const text = [pinReportTitle(body), '', ...body.summary, '', 'The full report is attached as a PDF.', ...body.notes, '', `You receive this because you are on the "${listName}" distribution list.`].join('\n');
  const html = [
    `<h1 style="color:${NHS_BLUE}">${escapeHtml(pinReportTitle(body))}</h1>`,
    `<ul>${body.summary.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`,
    '<p>The full report is attached as a PDF.</p>',
    ...body.notes.map((n) => `<p><small>${escapeHtml(n)}</small></p>`),
    `<p><small>You receive this because you are on the “${escapeHtml(listName)}” distribution list.</small></p>`,
  ].join('\n');
  return { subject, text, html };
}

export type { Tier };
