import { LineChart, ScatterChart, type LineSeriesOption, type ScatterSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { Marker, Prescription } from './api';
import { DAY_MS, doseSeries, ms } from './chart-data';
import { MARKER_INFO, MARKER_KINDS, dateLabel, medicationName } from './labels';

// The canvas renderer draws everything: no DOM styles, nothing the strict CSP refuses.
use([LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = ComposeOption<LineSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const MED_COLOURS = ['#005eb8', '#330072', '#007f3b', '#ae2573', '#4c6272', '#ed8b00', '#212b32'];
const NARROW_PX = 560;
/** Canvas height in px (the same as .beacon-person-chart__canvas). */
const HEIGHT = 420;

function chartOption(prescriptions: readonly Prescription[], markers: readonly Marker[], asOf: string, narrow: boolean): ChartOption {
  const doses = doseSeries(prescriptions, asOf);
  const kinds = MARKER_KINDS.filter((k) => markers.some((m) => m.kind === k));
  const categories = kinds.map((k) => MARKER_INFO[k].short);
  const maxDose = Math.max(10, ...prescriptions.map((p) => p.dose_mg ?? 0));
  // Both panels share one time range and one left edge, so a marker sits under its dose.
  const times = [...prescriptions.map((p) => ms(p.start_date)), ...markers.map((m) => ms(m.date))];
  const minTime = times.length ? Math.min(...times) : ms(asOf) - 365 * DAY_MS;
  const maxTime = ms(asOf);
  const left = narrow ? 84 : 100;
  const top = narrow ? 84 : 48;
  const markerHeight = Math.max(kinds.length, 1) * 24;
  const bottom = 28;
  const doseHeight = HEIGHT - top - markerHeight - bottom - 36;
  return {
    animation: !navigator.webdriver,
    textStyle: { fontFamily: 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif', color: '#212b32' },
    legend: { top: 0, left: 0, itemGap: 12, textStyle: { fontSize: 13 }, selectedMode: false },
    tooltip: { trigger: 'item', renderMode: 'richText' },
    grid: [
      { left, right: 16, top, height: doseHeight },
      { left, right: 16, bottom, height: markerHeight },
    ],
    xAxis: [
      { type: 'time', gridIndex: 0, min: minTime, max: maxTime, axisLabel: { show: false }, splitLine: { show: false } },
      { type: 'time', gridIndex: 1, min: minTime, max: maxTime, axisLabel: { fontSize: 12, hideOverlap: true }, splitLine: { show: false } },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'Daily dose (mg)', nameTextStyle: { align: 'left' }, max: Math.ceil((maxDose * 1.1) / 10) * 10, axisLabel: { fontSize: 12 }, splitLine: { lineStyle: { color: '#d8dde0' } } },
      { type: 'category', gridIndex: 1, data: categories, inverse: true, axisLabel: { fontSize: 12 }, axisTick: { show: false }, splitLine: { show: true, lineStyle: { color: '#f0f4f5' } } },
    ],
    series: [
      ...doses.map(
        (d, i): LineSeriesOption => ({
          type: 'line',
          name: medicationName(d.medication),
          xAxisIndex: 0,
          yAxisIndex: 0,
          step: 'end',
          showSymbol: false,
          connectNulls: false,
          lineStyle: { width: 3, color: MED_COLOURS[i % MED_COLOURS.length] },
          itemStyle: { color: MED_COLOURS[i % MED_COLOURS.length] },
          emphasis: { disabled: true },
          tooltip: { formatter: (p) => `${medicationName(d.medication)}\n${Array.isArray(p.value) ? `${String(p.value[1] ?? '–')} mg` : ''}` },
          data: d.points,
        }),
      ),
      ...kinds.map(
        (k): ScatterSeriesOption => ({
          type: 'scatter',
          name: MARKER_INFO[k].label,
          xAxisIndex: 1,
          yAxisIndex: 1,
          symbol: MARKER_INFO[k].symbol,
          symbolSize: 11,
          itemStyle: { color: MARKER_INFO[k].colour, borderColor: '#ffffff', borderWidth: 1 },
          emphasis: { disabled: true },
          tooltip: {
            formatter: (p) => {
              const m = markers.filter((x) => x.kind === k)[p.dataIndex];
              return m ? `${dateLabel(m.date)}\n${m.label}` : '';
            },
          },
          data: markers.filter((m) => m.kind === k).map((m) => [ms(m.date), MARKER_INFO[k].short]),
        }),
      ),
    ],
  };
}

interface DoseChartProps {
  prescriptions: readonly Prescription[];
  markers: readonly Marker[];
  asOf: string;
  /** id of the tables that carry the same information. */
  tableId: string;
}

/**
 * Daily dose over time (a step line per medication) with the events that matter drawn
 * beneath it on the same time axis: TOPs, drug tests, risk events, naloxone supplies and
 * supervised-consumption reviews. The tables beside it carry everything it shows.
 */
export function DoseChart({ prescriptions, markers, asOf, tableId }: DoseChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  const [narrow, setNarrow] = useState(false);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const instance = init(element, null, { renderer: 'canvas' });
    setChart(instance);
    const observer = new ResizeObserver(() => {
      setNarrow(element.clientWidth < NARROW_PX);
      instance.resize();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
    };
  }, []);

  useEffect(() => {
    chart?.setOption(chartOption(prescriptions, markers, asOf, narrow), { notMerge: true });
  }, [chart, prescriptions, markers, asOf, narrow]);

  const first = prescriptions.map((p) => p.start_date).sort()[0];
  const label = first
    ? `Chart of the daily dose prescribed from ${dateLabel(first)} to ${dateLabel(asOf)}, one line per medicine, with the dates of TOPs, drug tests, risk events, naloxone supplies and supervised consumption reviews marked below it. The same information is in the tables that follow.`
    : 'Chart of the prescription history: no prescriptions are recorded.';
  return (
    <figure className="beacon-person-chart">
      <div ref={ref} className="beacon-person-chart__canvas" role="img" aria-label={label} aria-describedby={tableId} data-testid="dose-chart" />
      <figcaption className="nhsuk-body-s nhsuk-u-secondary-text-colour">
        The line is the daily dose in mg (per injection for buprenorphine injections). Events are marked below it on the same dates. Every value is also in the tables.
      </figcaption>
    </figure>
  );
}
