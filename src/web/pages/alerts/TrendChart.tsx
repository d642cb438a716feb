import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import type { PinReportBody } from './api';

// Canvas only: nothing the strict CSP would refuse.
use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const COLOURS = ['#005eb8', '#d5281b', '#007f3b'];

/** Weekly submissions, case-definition matches and nitazene findings; suppressed weeks are gaps. */
export function TrendChart({ trend, tableId }: { trend: PinReportBody['trend']; tableId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<EChartsType | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = init(el, null, { renderer: 'canvas' });
    setChart(c);
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  useEffect(() => {
    const option: ChartOption = {
      animation: !navigator.webdriver,
      color: COLOURS,
      textStyle: { fontFamily: 'Arial, "Liberation Sans", sans-serif', color: '#212b32' },
      legend: { top: 0, left: 0, textStyle: { fontSize: 13 } },
      grid: { left: 40, right: 12, top: 56, bottom: 48 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: trend.labels.map((l) => l.replace(/^w\/e /, '').replace(/ \d{4}$/, '')), axisLabel: { fontSize: 11, rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 11 } },
      series: trend.series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: 6 })),
    };
    chart?.setOption(option, { notMerge: true });
  }, [chart, trend]);
  return (
    <div
      ref={ref}
      className="beacon-alerts-chart"
      role="img"
      aria-label={`Line chart: ${trend.caption}. Series: ${trend.series.map((s) => s.name).join(', ')}. Weeks with a suppressed count are gaps. The figures are in the table that follows.`}
      aria-describedby={tableId}
    />
  );
}
