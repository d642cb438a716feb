import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { groupInfo, monthLabel, monthShort } from './labels';
import type { Group, MonthFigures } from './types';

// Only what the chart uses; the canvas renderer draws everything (no DOM, no inline <style>,
// nothing the strict CSP would refuse).
use([BarChart, GridComponent, LegendComponent, TooltipComponent, LabelLayout, CanvasRenderer]);

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

interface TrackerChartProps {
  series: readonly MonthFigures[];
  groups: readonly Group[];
  /** "SVC001" or "the whole organisation": said in the chart's accessible name. */
  scopeLabel: string;
  /** id of the table that carries the same figures (the chart's text alternative). */
  tableId: string;
}

const BAR_LABEL_MIN_PCT = 6;
const NARROW_PX = 560;

function chartOption(series: readonly MonthFigures[], groups: readonly Group[], narrow: boolean): ChartOption {
  const months = series.map((m) => m.month);
  return {
    // Tests and screenshots need the finished chart at once.
    animation: !navigator.webdriver,
    textStyle: { fontFamily: 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif', color: '#212b32' },
    grid: { left: 48, right: 12, top: narrow ? 96 : 56, bottom: 32, containLabel: false },
    legend: { top: 0, left: 0, itemGap: 12, textStyle: { fontSize: 14 }, selectedMode: false },
    tooltip: {
      trigger: 'item',
      renderMode: 'richText',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        if (!p) return '';
        const group = groups[p.seriesIndex ?? 0];
        const month = series[p.dataIndex];
        if (!group || !month) return '';
        const mg = month.mean_doses[group]?.methadone_mg;
        return `${groupInfo(group).label}, ${monthLabel(month.month)}\n${month.cohorts[group]} of ${month.in_mat} (${(month.pct[group] ?? 0).toFixed(1)}%)${mg === null || mg === undefined ? '' : `\nMean methadone ${mg.toFixed(1)} mg`}`;
      },
    },
    xAxis: {
      type: 'category',
      data: months.map(monthShort),
      axisLabel: { fontSize: 12, interval: narrow ? 'auto' : 0, hideOverlap: true },
    },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', fontSize: 12 }, name: '', splitLine: { lineStyle: { color: '#d8dde0' } } },
    series: groups.map((group): BarSeriesOption => {
      const info = groupInfo(group);
      return {
        type: 'bar',
        name: info.label,
        stack: 'in_mat',
        barMaxWidth: 56,
        itemStyle: { color: info.colour, borderColor: '#ffffff', borderWidth: 0.5 },
        emphasis: { disabled: true },
        labelLayout: { hideOverlap: true },
        label: {
          show: !narrow,
          position: 'inside',
          color: info.textColour,
          fontSize: 11,
          formatter: (p) => {
            const month = series[p.dataIndex];
            const mg = month?.mean_doses[group]?.methadone_mg;
            if (!month || mg === null || mg === undefined || (month.pct[group] ?? 0) < BAR_LABEL_MIN_PCT) return '';
            return `${Math.round(mg)}`;
          },
        },
        data: series.map((m) => Number((m.pct[group] ?? 0).toFixed(2))),
      };
    }),
  };
}

/**
 * The tracker's stacked bars: % of everyone in MAT in each cohort at each month end, in
 * the toolkit's colours, with the cohort's mean methadone dose (mg) written in each bar.
 * The table beside it carries the same figures for anyone who cannot see the chart.
 */
export function TrackerChart({ series, groups, scopeLabel, tableId }: TrackerChartProps) {
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
    chart?.setOption(chartOption(series, groups, narrow), { notMerge: true });
  }, [chart, series, groups, narrow]);

  const first = series[0]?.month;
  const last = series[series.length - 1]?.month;
  const label =
    first && last
      ? `Stacked bar chart of the MAT cohorts for ${scopeLabel}, ${monthLabel(first)} to ${monthLabel(last)}: the percentage of everyone in MAT in each cohort at each month end, with the cohort's mean methadone dose in milligrams in each bar. The same figures are in the table that follows.`
      : `Stacked bar chart of the MAT cohorts for ${scopeLabel}.`;

  return (
    <figure className="beacon-mat-chart">
      <div ref={ref} className="beacon-mat-chart__canvas" role="img" aria-label={label} aria-describedby={tableId} data-testid="mat-chart" />
      <figcaption className="nhsuk-body-s nhsuk-u-secondary-text-colour">
        Bars show the percentage of everyone in MAT at each month end; the number in a bar is the cohort’s mean daily methadone dose in mg
        (shown when the cohort is at least {BAR_LABEL_MIN_PCT}% of the bar, and not on narrow screens). Every figure is also in the table.
      </figcaption>
    </figure>
  );
}
