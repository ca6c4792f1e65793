import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Gateway overhead, side by side in one run: the same chat request sent directly to the simulated
 * upstream and through the gateway (which routes it to that upstream), interleaved so machine noise
 * hits both alike. Reports p50/p90/p99 of each and the added latency. Loopback only, bounded count.
 *
 * Usage: java OverheadBench.java <gateway-base-url> <requests> <prompt-chars>
 */
public class OverheadBench {

    /** Unique per run: prompts never repeat across runs, so the gateway's embedding cache never answers. */
    static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:18080";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int chars = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        if (!base.startsWith("http://127.") && !base.startsWith("http://localhost")) {
            throw new IllegalArgumentException("benchmarks only target loopback");
        }
        String prompt = "Please explain the following clause in plain words. ".repeat(chars / 50 + 1).substring(0, chars);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < Math.min(500, n); i++) {
            send(http, request(base, prompt, -i - 1, true));
            send(http, request(base, prompt, -i - 1, false));
        }
        long[] d = new long[n];
        long[] g = new long[n];
        for (int i = 0; i < n; i++) {
            // every prompt is new, so the gateway's embedding cache never answers for the model
            HttpRequest direct = request(base, prompt, i, true);
            HttpRequest gateway = request(base, prompt, i, false);
            if (i % 2 == 0) {
                d[i] = send(http, direct);
                g[i] = send(http, gateway);
            } else {
                g[i] = send(http, gateway);
                d[i] = send(http, direct);
            }
        }
        Arrays.sort(d);
        Arrays.sort(g);
        System.out.printf(Locale.ROOT, "requests=%d each, prompt=%d chars, concurrency=1%n", n, chars);
        System.out.printf(Locale.ROOT, "%-8s %9s %9s %9s %9s%n", "path", "p50_ms", "p90_ms", "p99_ms", "mean_ms");
        row("direct", d);
        row("gateway", g);
        System.out.printf(Locale.ROOT, "added_p50_ms=%.3f added_p99_ms=%.3f ratio_p50=%.2f ratio_p99=%.2f%n",
                ms(pct(g, 50)) - ms(pct(d, 50)), ms(pct(g, 99)) - ms(pct(d, 99)),
                (double) pct(g, 50) / pct(d, 50), (double) pct(g, 99) / pct(d, 99));
    }

    static HttpRequest request(String base, String prompt, int i, boolean direct) {
        String content = "Request " + RUN + "-" + i + ". " + prompt;
        String body = "{\"model\":\"" + (direct ? "bench-model" : "auto") + "\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
        return post(base + (direct ? "/sim/bench-expert/v1/chat/completions" : "/v1/chat/completions"), body);
    }

    static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer sk-router-demo").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static long send(HttpClient http, HttpRequest request) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        long t = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
        }
        return t;
    }

    static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static void row(String name, long[] sorted) {
        System.out.printf(Locale.ROOT, "%-8s %9.3f %9.3f %9.3f %9.3f%n", name, ms(pct(sorted, 50)), ms(pct(sorted, 90)),
                ms(pct(sorted, 99)), ms((long) Arrays.stream(sorted).average().orElse(0)));
    }
}
