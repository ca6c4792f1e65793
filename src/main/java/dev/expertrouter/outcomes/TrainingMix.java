package dev.expertrouter.outcomes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How many training examples of each domain the serving router model learned from: the baseline
 * the traffic's class mix is compared with (drift). Read from the model's {@code metadata.json}:
 * the out-of-fold per-domain support (train + validation, what the shipped members were refit on),
 * else the test split's.
 *
 * @param version the router model version
 * @param counts  examples per domain
 */
public record TrainingMix(String version, Map<String, Long> counts) {


    public static final TrainingMix NONE = new TrainingMix("none", Map.of());

    public TrainingMix {
        counts = Map.copyOf(counts);
    }

    /** The mix recorded in {@code <modelsDir>/<version>/metadata.json}, or empty when it holds none. */
    public static Optional<TrainingMix> read(Path modelsDir, String version) {
        Path metadata = modelsDir.resolve(version).resolve("metadata.json");
        if (!Files.isRegularFile(metadata)) {
            return Optional.empty();
        }
        try {
            JsonNode metrics = Json.MAPPER.readTree(metadata.toFile()).path("metrics");
            for (String split : new String[] {"outOfFold", "test"}) {
                JsonNode perDomain = metrics.path(split).path("perDomain");
                if (perDomain.isObject() && !perDomain.isEmpty()) {
                    Map<String, Long> counts = new TreeMap<>();
                    perDomain.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().path("support").asLong()));
                    return Optional.of(new TrainingMix(version, counts));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            // the model already loaded from this directory; a metadata file we cannot read only costs the drift baseline
            return Optional.empty();
        }
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Share of the training examples in {@code domain}, 0 when unknown to the model. */
    public double share(String domain) {
        long total = total();
        return total == 0 ? 0 : counts.getOrDefault(domain, 0L) / (double) total;
    }
}
