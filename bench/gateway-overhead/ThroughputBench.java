import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routed throughput: C concurrent callers send N chat requests with model "auto" (each a new
 * prompt, so every one is embedded and classified) through the gateway to an instant simulated
 * expert. Reports requests per second and latency percentiles. Loopback only, bounded count and time.
 *
 * Usage: java ThroughputBench.java <gateway-base-url> <requests> <concurrency> <prompt-chars>
 */
public class ThroughputBench {

    /** Unique per run: prompts never repeat across runs, so the gateway's embedding cache never answers. */
    static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:18080";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int c = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int chars = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        if (!base.startsWith("http://127.") && !base.startsWith("http://localhost")) {
            throw new IllegalArgumentException("benchmarks only target loopback");
        }
        String prompt = "Please explain the following clause in plain words. ".repeat(chars / 50 + 1).substring(0, chars);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        run(http, base, prompt, Math.min(300, n), c, -1_000_000); // warm-up
        long[] latencies = new long[n];
        long t0 = System.nanoTime();
        int failures = run(http, base, prompt, n, c, 0, latencies);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "requests=%d concurrency=%d prompt=%d chars failures=%d%n", n, c, chars, failures);
        System.out.printf(Locale.ROOT, "throughput=%.1f req/s  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms%n", n / seconds,
                latencies[n / 2] / 1e6, latencies[(int) (n * 0.9)] / 1e6, latencies[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
    }

    static int run(HttpClient http, String base, String prompt, int n, int c, int offset) throws Exception {
        return run(http, base, prompt, n, c, offset, new long[n]);
    }

    static int run(HttpClient http, String base, String prompt, int n, int c, int offset, long[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        for (int w = 0; w < c; w++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    String body = "{\"model\":\"auto\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Request "
                            + RUN + "-" + (offset + i) + ". " + prompt + "\"}]}";
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(10))
                            .header("authorization", "Bearer sk-router-demo").header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - s;
                }
                return null;
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("bench did not finish in 10 minutes");
        }
        return failures.get();
    }
}
