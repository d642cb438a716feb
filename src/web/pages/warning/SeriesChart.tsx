import { BarChart, LineChart, ScatterChart, type BarSeriesOption, type LineSeriesOption, type ScatterSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { weekLabel, weekShort } from './labels';
import type { Week } from './types';

// Only what the chart uses; the canvas renderer draws everything (no inline <style>, nothing
// the strict CSP would refuse).
use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const NARROW_PX = 560;
const COLOURS = { observed: '#768692', alarm: '#d5281b', expected: '#005eb8', threshold: '#ed8b00', trigger: '#330072' };

function chartOption(weeks: readonly Week[], noun: string, narrow: boolean): ChartOption {
  const max = Math.max(1, ...weeks.map((w) => Math.max(w.count, w.upper_bound ?? 0)));
  return {
    animation: !navigator.webdriver,
    textStyle: { fontFamily: 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif', color: '#212b32' },
    grid: { left: 40, right: 12, top: narrow ? 84 : 48, bottom: 32, containLabel: false },
    legend: { top: 0, left: 0, itemGap: 12, textStyle: { fontSize: 14 }, selectedMode: false },
    tooltip: {
      trigger: 'axis',
      renderMode: 'richText',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const w = p ? weeks[p.dataIndex] : undefined;
        return w ? `Week of ${weekLabel(w.period_start)}\n${w.reason}` : '';
      },
    },
    xAxis: { type: 'category', data: weeks.map((w) => weekShort(w.period_start)), axisLabel: { fontSize: 12, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, name: '', axisLabel: { fontSize: 12 }, splitLine: { lineStyle: { color: '#d8dde0' } } },
    series: [
      {
        type: 'bar',
        name: `Observed ${noun}`,
        barMaxWidth: 24,
        itemStyle: { color: COLOURS.observed },
        emphasis: { disabled: true },
        data: weeks.map((w) => ({ value: w.count, itemStyle: { color: w.alarm ? COLOURS.alarm : COLOURS.observed } })),
      },
      {
        type: 'line',
        name: 'Expected',
        symbol: 'none',
        connectNulls: false,
        lineStyle: { color: COLOURS.expected, width: 2 },
        itemStyle: { color: COLOURS.expected },
        data: weeks.map((w) => (w.expected === null ? null : Number(w.expected.toFixed(2)))),
      },
      {
        type: 'line',
        name: 'Threshold',
        symbol: 'none',
        step: 'middle',
        connectNulls: false,
        lineStyle: { color: COLOURS.threshold, width: 2, type: 'dashed' },
        itemStyle: { color: COLOURS.threshold },
        data: weeks.map((w) => (w.upper_bound === null ? null : Number(w.upper_bound.toFixed(2)))),
      },
      {
        type: 'scatter',
        name: 'Alarm',
        symbol: 'triangle',
        symbolSize: 12,
        itemStyle: { color: COLOURS.alarm },
        data: weeks.map((w) => (w.alarm ? w.count + max * 0.06 : null)),
      },
      {
        type: 'scatter',
        name: 'Count trigger',
        symbol: 'diamond',
        symbolSize: 11,
        itemStyle: { color: COLOURS.trigger },
        data: weeks.map((w) => (w.triggers.length > 0 ? w.count + max * (w.alarm ? 0.14 : 0.06) : null)),
      },
    ],
  };
}

/**
 * Weekly counts as bars (red when the week alarmed), the expected value and the
 * threshold as lines, and markers on alarm and count-trigger weeks. The table that
 * follows carries every figure (the chart's text alternative).
 */
export function SeriesChart({ weeks, noun, label, tableId }: { weeks: readonly Week[]; noun: string; label: string; tableId: string }) {
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
    chart?.setOption(chartOption(weeks, noun, narrow), { notMerge: true });
  }, [chart, weeks, noun, narrow]);

  return (
    <figure className="beacon-warning-chart">
      <div ref={ref} className="beacon-warning-chart__canvas" role="img" aria-label={label} aria-describedby={tableId} data-testid="warning-chart" />
      <figcaption className="nhsuk-body-s nhsuk-u-secondary-text-colour">
        Bars are the weekly counts (red when the week alarmed); the blue line is the expected count and the dashed orange line the threshold
        above which a week alarms. Triangles mark alarms and diamonds weeks in which a count trigger fired. Every figure is also in the table.
      </figcaption>
    </figure>
  );
}
