package org.pushpin.bench.load;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The two curves of a side-by-side run vs held connections, one line per server: plain-request latency and RSS. */
final class SideBySidePlot {
    private static final Color REFERENCE = new Color(0xD62728);
    private static final Color OURS = new Color(0x1F77B4);
    private static final Color OTHER = new Color(0x2CA02C);

    private SideBySidePlot() {
    }

    static void write(Map<String, List<Results.Point>> curves, String title, Path png) throws IOException {
        XYSeriesCollection latency = new XYSeriesCollection();
        XYSeriesCollection rss = new XYSeriesCollection();
        curves.forEach((name, points) -> {
            XYSeries l = new XYSeries(name);
            XYSeries r = new XYSeries(name);
            for (Results.Point p : points) {
                l.add(p.held(), p.plainMs());
                r.add(p.held(), p.rssMb());
            }
            latency.addSeries(l);
            rss.addSeries(r);
        });
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("held SSE connections"));
        plot.setGap(12);
        plot.add(panel(latency, "plain request p50 (ms)", true));
        plot.add(panel(rss, "RSS of the server (MB)", false));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 700);
    }

    /** One panel; a server has the same colour in both, and the legend lists each server once. */
    private static XYPlot panel(XYSeriesCollection data, String label, boolean inLegend) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String name = data.getSeriesKey(i).toString();
            renderer.setSeriesPaint(i, name.equals("reference") ? REFERENCE : name.equals("ours") ? OURS : OTHER);
            renderer.setSeriesVisibleInLegend(i, inLegend);
        }
        XYPlot p = new XYPlot(data, null, axis, renderer);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
