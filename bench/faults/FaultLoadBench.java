import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load on a running gateway whose preferred expert fails: phase 1, `shaky` fails half of its calls;
 * phase 2, it is hard down (its base-url is switched by hot reload to a closed port). Prints the
 * success rate, latency percentiles, where requests went, and how many attempts still reached
 * `shaky` once its circuit was open. JDK only: java FaultLoadBench.java URL CONFIG_DIR N CONCURRENCY
 */
public class FaultLoadBench {

    static final String KEY = "Bearer sk-bench-faults";
    static final Duration DEADLINE = Duration.ofSeconds(2);
    static final Duration PHASE_LIMIT = Duration.ofSeconds(120);

    record Result(int status, long latencyMs, String expert, int fallbacks, long endNanos) { }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Path configDir = Path.of(args[1]);
        int perPhase = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        System.out.printf(Locale.ROOT, "gateway %s, %d requests per phase, concurrency %d, request deadline %d ms, %d cores%n",
                base, perPhase, concurrency, DEADLINE.toMillis(), Runtime.getRuntime().availableProcessors());
        run(http, base, 200, concurrency); // warm-up, not reported
        double attempts0 = shakyAttempts(http, base);
        List<Result> half = run(http, base, perPhase, concurrency);
        double attempts1 = shakyAttempts(http, base);
        report("phase 1: shaky fails 50%", half, attempts1 - attempts0, http, base);

        Path experts = configDir.resolve("experts.yaml");
        String yaml = Files.readString(experts);
        Files.writeString(experts, yaml.replaceFirst("simulated: \\{latency-ms: 20[^}]*\\}", "base-url: http://127.0.0.1:9/v1"));
        Thread.sleep(1_500); // hot reload polls every 500 ms
        double attempts2 = shakyAttempts(http, base);
        long phaseStart = System.nanoTime();
        List<Result> down = run(http, base, perPhase, concurrency);
        double attempts3 = shakyAttempts(http, base);
        report("phase 2: shaky hard down", down, attempts3 - attempts2, http, base);
        long phaseMs = (System.nanoTime() - phaseStart) / 1_000_000;
        long lateToShaky = down.stream().filter(r -> r.endNanos() - phaseStart > (long) (phaseMs * 0.2) * 1_000_000)
                .filter(r -> r.fallbacks() > 0).count();
        System.out.printf(Locale.ROOT, "phase 2: %d ms; requests in its last 80%% that still tried shaky first: %d%n", phaseMs, lateToShaky);

        List<Result> all = new ArrayList<>(half);
        all.addAll(down);
        long ok = all.stream().filter(r -> r.status() == 200).count();
        double rate = 100.0 * ok / all.size();
        long p99 = percentile(all, 0.99);
        System.out.printf(Locale.ROOT, "OVERALL: %d/%d succeeded (%.3f%%), p99 %d ms (deadline %d ms) -> %s%n", ok, all.size(), rate, p99,
                DEADLINE.toMillis(), rate >= 99.9 && p99 < DEADLINE.toMillis() ? "PASS" : "FAIL");
    }

    static List<Result> run(HttpClient http, String base, int count, int concurrency) throws InterruptedException {
        List<Result> results = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long stopAt = System.nanoTime() + PHASE_LIMIT.toNanos();
        for (int c = 0; c < concurrency; c++) {
            pool.submit(() -> {
                while (next.getAndIncrement() < count && System.nanoTime() < stopAt) {
                    results.add(call(http, base));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(PHASE_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
        return new ArrayList<>(results);
    }

    static Result call(HttpClient http, String base) {
        String body = "{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"What is a good way to learn a language?\"}]}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(10))
                .header("authorization", KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            return new Result(resp.statusCode(), (end - start) / 1_000_000, resp.headers().firstValue("x-router-expert").orElse("-"),
                    Integer.parseInt(resp.headers().firstValue("x-router-fallbacks").orElse("0")), end);
        } catch (Exception e) {
            long end = System.nanoTime();
            return new Result(-1, (end - start) / 1_000_000, "-", 0, end);
        }
    }

    static void report(String phase, List<Result> results, double shakyAttempts, HttpClient http, String base) throws Exception {
        Map<String, Integer> byExpert = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        int fellBack = 0;
        for (Result r : results) {
            byExpert.merge(r.expert(), 1, Integer::sum);
            byStatus.merge(r.status(), 1, Integer::sum);
            fellBack += r.fallbacks() > 0 ? 1 : 0;
        }
        long ok = byStatus.getOrDefault(200, 0);
        System.out.printf(Locale.ROOT, "%s: %d requests, %d ok (%.3f%%), statuses %s, answered by %s, fell back %d%n", phase,
                results.size(), ok, 100.0 * ok / results.size(), byStatus, byExpert, fellBack);
        System.out.printf(Locale.ROOT, "  latency ms: p50 %d, p90 %d, p99 %d, max %d; attempts that reached shaky: %.0f; shaky circuit now: %s; circuit openings so far: %.0f%n",
                percentile(results, 0.5), percentile(results, 0.9), percentile(results, 0.99), percentile(results, 1.0),
                shakyAttempts, circuit(http, base), metric(http, base, "router_expert_circuit_transitions_total\\{expert=\"shaky\",state=\"open\"\\}"));
    }

    static long percentile(List<Result> results, double q) {
        List<Long> l = results.stream().map(Result::latencyMs).sorted().toList();
        return l.isEmpty() ? 0 : l.get(Math.min(l.size() - 1, (int) Math.ceil(q * l.size()) - 1 < 0 ? 0 : (int) Math.ceil(q * l.size()) - 1));
    }

    /** Attempts against shaky that were made (the guard's rejections never count here). */
    static double shakyAttempts(HttpClient http, String base) throws Exception {
        return metric(http, base, "gen_ai_client_operation_duration_seconds_count\\{expert=\"shaky\",[^}]*\\}");
    }

    static double metric(HttpClient http, String base, String regex) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + regex + " ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    static String circuit(HttpClient http, String base) throws Exception {
        String json = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/experts")).header("authorization", "Bearer bench-admin").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"id\":\"shaky\".*?\"circuit\":\"([a-z_]+)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
