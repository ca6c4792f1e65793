package dev.expertrouter.routing.policy.sim;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Quality versus cost as a plain SVG: cost on a log axis (prices span two decades), the policies as
 * labelled dots, the cost-weight sweep of the default policy as a line (the frontier the policy
 * engine can reach), baselines as squares and single experts as grey dots.
 */
final class FrontierPlot {

    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 70;
    private static final int RIGHT = 220;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private FrontierPlot() {
    }

    static String svg(String title, List<SimResult> results) {
        double minCost = results.stream().mapToDouble(SimResult::costPer1k).filter(c -> c > 0).min().orElse(0.01);
        double maxCost = results.stream().mapToDouble(SimResult::costPer1k).max().orElse(1);
        double lo = Math.log10(minCost) - 0.15;
        double hi = Math.log10(maxCost) + 0.15;
        double qLo = Math.floor(results.stream().mapToDouble(SimResult::meanQuality).min().orElse(0) * 20) / 20;
        double qHi = Math.ceil(results.stream().mapToDouble(SimResult::meanQuality).max().orElse(1) * 20) / 20;
        Axis x = v -> LEFT + (Math.log10(Math.max(v, 1e-12)) - lo) / (hi - lo) * (W - LEFT - RIGHT);
        Axis y = v -> TOP + (qHi - v) / (qHi - qLo) * (H - TOP - BOTTOM);

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", W, H));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(W / 2.0 - 200, 22, esc(title), "font-size=\"15\""));
        for (int d = (int) Math.floor(lo); d <= Math.ceil(hi); d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (Math.log10(v) < lo || Math.log10(v) > hi) {
                    continue;
                }
                double px = x.at(v);
                s.append(line(px, TOP, px, H - BOTTOM, m == 1 ? "#ccc" : "#eee"));
                s.append(text(px - 14, H - BOTTOM + 18, "$" + trim(v), ""));
            }
        }
        for (double q = qLo; q <= qHi + 1e-9; q += 0.05) {
            double py = y.at(q);
            s.append(line(LEFT, py, W - RIGHT, py, "#ddd"));
            s.append(text(LEFT - 40, py + 4, String.format(Locale.ROOT, "%.2f", q), ""));
        }
        s.append(text(W / 2.0 - 200, H - 15, "estimated cost, USD per 1,000 requests (log scale)", ""));
        s.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" transform=\"rotate(-90 18 %d)\">mean quality in the "
                + "prompt's true domain</text>\n", H / 2 + 100, H / 2 + 100));

        List<SimResult> sweep = results.stream().filter(r -> r.kind().equals("sweep"))
                .sorted(Comparator.comparingDouble(SimResult::costPer1k)).toList();
        if (sweep.size() > 1) {
            StringBuilder pts = new StringBuilder();
            sweep.forEach(r -> pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(r.costPer1k()), y.at(r.meanQuality()))));
            s.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"").append(pts.toString().trim())
                    .append("\"/>\n");
        }
        int legendY = TOP + 10;
        int labelled = 0;
        for (SimResult r : results) {
            double px = x.at(r.costPer1k());
            double py = y.at(r.meanQuality());
            switch (r.kind()) {
                case "sweep" -> s.append(circle(px, py, 3, "#1f77b4"));
                case "policy", "perfect" -> {
                    s.append(r.kind().equals("policy") ? circle(px, py, 6, "#d62728")
                            : String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"none\" "
                                    + "stroke=\"#d62728\" stroke-width=\"2\"/>\n", px, py));
                    // alternate labels above and below: policies often sit close together
                    double ly = labelled++ % 2 == 0 ? py - 9 : py + 18;
                    s.append(text(px + 8, ly, esc(r.name()), "fill=\"#d62728\""));
                }
                case "baseline" -> {
                    s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"#2ca02c\"/>\n",
                            px - 5, py - 5));
                    boolean nearRightEdge = px > W - RIGHT - 120;
                    s.append(text(nearRightEdge ? px + 6 : px - 30, py + 20, esc(r.name()),
                            "fill=\"#2ca02c\"" + (nearRightEdge ? " text-anchor=\"end\"" : "")));
                }
                default -> {
                    s.append(circle(px, py, 3, "#999"));
                    s.append(text(W - RIGHT + 10, legendY, esc(r.name()) + String.format(Locale.ROOT, " (%.3f, $%s)",
                            r.meanQuality(), trim(r.costPer1k())), "fill=\"#777\" font-size=\"10\""));
                    legendY += 14;
                }
            }
        }
        s.append(text(W - RIGHT + 10, legendY + 10, "red: shipped policies (ring: perfect router)", "fill=\"#d62728\" font-size=\"10\""));
        s.append(text(W - RIGHT + 10, legendY + 24, "blue: balanced, cost weight swept", "fill=\"#1f77b4\" font-size=\"10\""));
        s.append(text(W - RIGHT + 10, legendY + 38, "green: baselines; grey: single experts", "fill=\"#2ca02c\" font-size=\"10\""));
        s.append("</svg>\n");
        return s.toString();
    }

    private interface Axis {
        double at(double v);
    }

    private static String trim(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x1, y1, x2, y2, color);
    }

    private static String circle(double x, double y, double r, String color) {
        return String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", x, y, r, color);
    }

    private static String text(double x, double y, String t, String attrs) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>\n", x, y, attrs, t);
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
