package dev.expertrouter.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import dev.expertrouter.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's own chat prompts per domain: every {@code *.yaml} in the examples directory holds
 * {@code domain: <name>} and {@code examples: [..]}. An operator adds a domain by adding a file
 * (and retraining). Errors name the file and the key.
 */
public final class DomainExamples {

    private DomainExamples() {
    }

    public record Loaded(List<LabelledPrompt> prompts, List<DataFile> files) {
    }

    public static Loaded load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("examples directory missing: " + dir);
        }
        List<Path> yamlFiles;
        try (Stream<Path> list = Files.list(dir)) {
            yamlFiles = list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (yamlFiles.isEmpty()) {
            throw new IllegalArgumentException("no *.yaml example files in " + dir);
        }
        List<LabelledPrompt> prompts = new ArrayList<>();
        List<DataFile> files = new ArrayList<>();
        for (Path file : yamlFiles) {
            List<LabelledPrompt> fromFile = parse(file);
            prompts.addAll(fromFile);
            try {
                files.add(new DataFile(file.toString(), Sha256.of(file), fromFile.size()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot hash " + file, e);
            }
        }
        return new Loaded(prompts, files);
    }

    static List<LabelledPrompt> parse(Path file) {
        JsonNode root;
        try {
            root = Json.YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a mapping with 'domain' and 'examples'");
        }
        String domain = root.path("domain").asText("");
        if (!domain.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException(file + ": key 'domain' must be a lower-case name, was '" + domain + "'");
        }
        JsonNode examples = root.path("examples");
        if (!examples.isArray() || examples.isEmpty()) {
            throw new IllegalArgumentException(file + ": key 'examples' must be a non-empty list");
        }
        List<LabelledPrompt> prompts = new ArrayList<>();
        int i = 0;
        for (JsonNode example : examples) {
            if (!example.isTextual() || example.asText().isBlank()) {
                throw new IllegalArgumentException(file + ": examples[" + i + "] must be non-blank text");
            }
            prompts.add(new LabelledPrompt(domain + "-own-" + i, example.asText().strip(), domain,
                    LabelledPrompt.ownClass(domain), LabelledPrompt.OWN));
            i++;
        }
        return prompts;
    }
}
