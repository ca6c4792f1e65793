package dev.expertrouter.training;

/** A training data file as recorded in a model's metadata: where it was read and what it held. */
public record DataFile(String path, String sha256, int items) {
}
