package dev.expertrouter.testing;

import static io.restassured.RestAssured.given;

/** Reads one series from the gateway's {@code /q/metrics}, the way an operator's scraper sees it. */
public final class Prometheus {

    private Prometheus() {
    }

    /**
     * The value of the series whose name and labels start as given, e.g.
     * {@code router_config_reloads_total{outcome="failure"}}; 0 while it was never recorded.
     * Labels must be given in the exporter's (alphabetical) order.
     */
    public static double value(String series) {
        String open = series.endsWith("}") ? series.substring(0, series.length() - 1) : series;
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.length() > open.length() && line.startsWith(open) && "}, {".indexOf(line.charAt(open.length())) >= 0) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
